import { NotFound, Unprocessable, ValidationFailed, sharedDataDir } from '@seqcast/core';
import type { DatasetsService } from '@seqcast/data';
import type { EventSequence } from '@seqcast/events';
import { existsSync, realpathSync } from 'fs';
import * as path from 'path';
import type { EventModelsService } from '../events/event-models.service';
import { splitUsable } from '../events/event-splits';
import { datasetTimeUnit, inDatasetUnit } from '../events/event-time-unit';

type RawEntry = { name?: unknown; source?: Record<string, unknown> };

/** The fields of file-backed sources that name a file. */
const FILE_FIELDS: Record<string, string[]> = {
  easytpp: ['file', 'train', 'dev', 'test'],
  earthquakes: ['file'],
};

function entries(config: Record<string, unknown>): RawEntry[] {
  return Array.isArray(config.datasets) ? (config.datasets as RawEntry[]) : [];
}

/** `p` lies strictly below `root` (both absolute and normalised). */
function below(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * `file` (absolute) lies inside the shared folder `shared`, links followed. The answer must
 * not tell whether a file exists anywhere else: the path is first judged by its spelling
 * alone, so nothing outside the folder is ever looked at; only then are links resolved,
 * through the deepest part of the path that exists, which is inside the folder. A link that
 * leads out is refused whether or not its target exists.
 */
export function inShared(file: string, shared: string): boolean {
  const realRoot = existsSync(shared) ? realpathSync(shared) : shared;
  if (!below(file, shared) && !below(file, realRoot)) return false;
  let existing = file;
  while (!existsSync(existing)) existing = path.dirname(existing);
  const real = path.join(realpathSync(existing), path.relative(existing, file));
  return below(real, realRoot);
}

/**
 * Checks the sources of an evaluation config sent over HTTP (already validated in form)
 * before it is queued, and returns it with every stored dataset's version pinned, so the
 * job evaluates the data that existed when it was submitted:
 * - a stored dataset must exist and hold events (404 / 422 naming the entry);
 * - a file must lie in the shared data folder (`${SHARED_DATA}/...`): the server reads
 *   nothing else on a client's word, and a parse error would quote the file.
 */
export async function pinTppSources(
  config: Record<string, unknown>,
  datasets: DatasetsService,
  baseDir: string,
): Promise<Record<string, unknown>> {
  const shared = sharedDataDir();
  const out: RawEntry[] = [];
  for (const [i, d] of entries(config).entries()) {
    const src = d.source ?? {};
    const at = `datasets[${i}].source`;
    for (const key of FILE_FIELDS[src.kind as string] ?? []) {
      if (typeof src[key] !== 'string') continue;
      const file = path.resolve(baseDir, (src[key] as string).replace('${SHARED_DATA}', shared));
      if (!inShared(file, shared)) {
        throw new ValidationFailed(
          'Files in an evaluation sent over HTTP must lie in the shared data folder',
          [
            {
              field: `${at}.${key}`,
              reason: 'give ${SHARED_DATA}/..., or upload the data and use {kind: dataset, datasetId}',
            },
          ],
        );
      }
    }
    if (src.kind !== 'dataset') {
      out.push(d);
      continue;
    }
    const id = src.datasetId as string;
    const v = await datasets.version(id, src.version as number | undefined).catch((e: unknown) => {
      if (e instanceof NotFound)
        throw new NotFound(e.message, [{ field: `${at}.datasetId`, reason: 'no such dataset or version' }]);
      throw e;
    });
    if (v.schema.kind !== 'events') {
      throw new Unprocessable(
        `dataset ${id} is a ${v.schema.kind} dataset; a TPP evaluation needs an event dataset`,
        [{ field: `${at}.datasetId`, reason: 'not an event dataset' }],
      );
    }
    out.push({ ...d, source: { ...src, version: v.version } });
  }
  return { ...config, datasets: out };
}

/**
 * The job's side: every stored dataset read and split as training a model on it splits it
 * (70/15/15 by the source's seed), as an inline source. Times are relative to each
 * sequence's first event, in the dataset's unit (seconds for timestamped datasets).
 */
export async function readTppSources(
  config: Record<string, unknown>,
  events: EventModelsService,
): Promise<Record<string, unknown>> {
  const out: RawEntry[] = [];
  for (const [i, d] of entries(config).entries()) {
    const src = d.source ?? {};
    if (src.kind !== 'dataset') {
      out.push(d);
      continue;
    }
    const id = src.datasetId as string;
    const { sequences, numTypes, timestamps } = await events.sequences(id, src.version as number | undefined);
    const split = splitUsable(sequences, (src.seed as number | undefined) ?? 0, {
      id,
      field: `datasets[${i}].source.datasetId`,
    });
    const { unit, perUnit } = datasetTimeUnit(timestamps);
    const relative = (s: { times: Float64Array; types: Int32Array }): EventSequence =>
      inDatasetUnit(s, perUnit);
    out.push({
      ...d,
      source: {
        kind: 'inline',
        numTypes,
        timeUnit: unit,
        train: split.train.map(relative),
        dev: split.dev.map(relative),
        test: split.test.map(relative),
      },
    });
  }
  return { ...config, datasets: out };
}
