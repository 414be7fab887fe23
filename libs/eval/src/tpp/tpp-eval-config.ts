import { ErrorDetail, ValidationFailed } from '@seqcast/core';
import { readFileSync } from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { HorizonOptions, parseHorizonOption } from './horizon-score';
import { TPP_SCORE_DEFAULTS } from './score-test';
import { eventModelRegistry, EventSequence, HawkesParams, TimeUnit, validateEventDataset, validateHawkesParams } from '@seqcast/events';

/** The generating process of an externally simulated file, so its evaluation gets the truth and bound rows. */
export type SourceTruth = { kind: 'hawkes' } & HawkesParams;

export type DatasetSource =
  | { kind: 'hawkes'; params?: HawkesParams; endTime?: number; train?: number; dev?: number; test?: number; seed?: number }
  | { kind: 'easytpp'; file?: string; train?: string; dev?: string; test?: string; split?: [number, number, number]; seed?: number; truth?: SourceTruth }
  | {
      kind: 'earthquakes';
      file: string;
      windowDays?: number;
      /** Drop events below this magnitude first (a completeness threshold); default: keep all. */
      minMagnitude?: number;
      /** Types by magnitude class (default) or by bins of the position along the fault (columns x, y). */
      typeBy?: 'magnitude' | 'position';
      magnitudeBins?: number[];
      /** With typeBy position: equal-count bins along the training epicentres' principal axis (default 3). */
      positionBins?: number;
      maxEvents?: number;
      split?: [number, number, number];
    }
  /** The splits given as they are (a config sent over HTTP, or a stored dataset the server has read). */
  | { kind: 'inline'; numTypes: number; train: EventSequence[]; dev?: EventSequence[]; test: EventSequence[]; timeUnit?: TimeUnit; truth?: SourceTruth }
  /**
   * A stored event dataset (`version`, default the newest when the evaluation is submitted),
   * split 70/15/15 by `seed` as training a model on it is; the server reads it.
   */
  | { kind: 'dataset'; datasetId: string; version?: number; seed?: number };

export const DATASET_SOURCE_KINDS = ['hawkes', 'easytpp', 'earthquakes', 'inline', 'dataset'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every problem of one dataset entry, by field. */
function sourceProblems(d: Record<string, unknown> | undefined, at: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const src = (d?.source ?? {}) as Record<string, unknown>;
  if (typeof d?.name !== 'string') out.push({ field: `${at}.name`, reason: 'a name is required' });
  switch (src.kind) {
    case 'hawkes':
      break;
    case 'earthquakes':
      if (typeof src.file !== 'string') out.push({ field: `${at}.source.file`, reason: 'the catalogue CSV is required' });
      out.push(...earthquakeProblems(src, `${at}.source`));
      break;
    case 'easytpp':
      if (typeof src.file !== 'string' && typeof src.train !== 'string') out.push({ field: `${at}.source.file`, reason: 'give file (split by `split`) or train/dev/test files' });
      if (src.truth !== undefined) out.push(...truthProblems(src.truth, `${at}.source.truth`));
      break;
    case 'dataset':
      if (typeof src.datasetId !== 'string' || !UUID.test(src.datasetId)) out.push({ field: `${at}.source.datasetId`, reason: 'the id (a UUID) of a stored event dataset' });
      for (const key of ['seed', 'version']) {
        const v = src[key];
        if (v !== undefined && !(Number.isInteger(v) && (v as number) >= (key === 'version' ? 1 : 0))) out.push({ field: `${at}.source.${key}`, reason: key === 'version' ? 'a version number (1, 2, ...)' : 'a non-negative integer' });
      }
      break;
    case 'inline':
      out.push(...inlineProblems(src, `${at}.source`));
      break;
    default:
      out.push({ field: `${at}.source.kind`, reason: `one of ${DATASET_SOURCE_KINDS.join(', ')}` });
  }
  return out;
}

const QUAKE_TYPINGS = ['magnitude', 'position'];

function earthquakeProblems(src: Record<string, unknown>, at: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const positive = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v > 0;
  if (src.windowDays !== undefined && !positive(src.windowDays)) out.push({ field: `${at}.windowDays`, reason: 'a positive number of days' });
  if (src.minMagnitude !== undefined && !(typeof src.minMagnitude === 'number' && Number.isFinite(src.minMagnitude)))
    out.push({ field: `${at}.minMagnitude`, reason: 'a number (events below it are dropped)' });
  if (src.maxEvents !== undefined && !(Number.isInteger(src.maxEvents) && (src.maxEvents as number) >= 2))
    out.push({ field: `${at}.maxEvents`, reason: 'an integer >= 2 (events kept per window)' });
  if (src.typeBy !== undefined && !QUAKE_TYPINGS.includes(src.typeBy as string)) out.push({ field: `${at}.typeBy`, reason: `one of ${QUAKE_TYPINGS.join(', ')}` });
  const byPosition = src.typeBy === 'position';
  if (src.positionBins !== undefined) {
    if (!byPosition) out.push({ field: `${at}.positionBins`, reason: 'applies to typeBy: position' });
    else if (!(Number.isInteger(src.positionBins) && (src.positionBins as number) >= 2 && (src.positionBins as number) <= 20))
      out.push({ field: `${at}.positionBins`, reason: 'an integer from 2 to 20' });
  }
  const bins = src.magnitudeBins;
  if (bins !== undefined) {
    if (byPosition) out.push({ field: `${at}.magnitudeBins`, reason: 'applies to typeBy: magnitude (types by position come from positionBins)' });
    else if (!Array.isArray(bins) || !bins.every((b, i) => typeof b === 'number' && Number.isFinite(b) && (i === 0 || b > (bins[i - 1] as number))))
      out.push({ field: `${at}.magnitudeBins`, reason: 'ascending numbers (class k: bins[k-1] <= magnitude < bins[k])' });
    else if (typeof src.minMagnitude === 'number' && bins.length && (bins[0] as number) <= src.minMagnitude)
      out.push({ field: `${at}.magnitudeBins`, reason: `every edge above minMagnitude ${src.minMagnitude} (an edge at or below it leaves a class empty)` });
  } else if (!byPosition && typeof src.minMagnitude === 'number' && src.minMagnitude >= 1.5)
    out.push({ field: `${at}.magnitudeBins`, reason: `give edges above minMagnitude ${src.minMagnitude} (the default 1.5, 2 would leave a class empty), or typeBy: position` });
  return out;
}

const TIME_UNITS: readonly TimeUnit[] = ['seconds', 'days', 'as given'];

/** `{kind: hawkes, mu, alpha, beta}`: a valid Hawkes process (its size is checked against the file's types when read). */
function truthProblems(truth: unknown, at: string): ErrorDetail[] {
  const t = (truth ?? {}) as Record<string, unknown>;
  if (typeof truth !== 'object' || truth === null || t.kind !== 'hawkes') return [{ field: `${at}.kind`, reason: 'hawkes (the only known generating process)' }];
  const isMatrix = (m: unknown) => Array.isArray(m) && m.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'number'));
  const bad: ErrorDetail[] = [];
  if (!Array.isArray(t.mu) || !t.mu.every((x) => typeof x === 'number')) bad.push({ field: `${at}.mu`, reason: 'a list of base rates, one per type' });
  for (const key of ['alpha', 'beta']) if (!isMatrix(t[key])) bad.push({ field: `${at}.${key}`, reason: 'a K x K matrix of numbers' });
  if (bad.length) return bad;
  try {
    validateHawkesParams(t as unknown as HawkesParams);
  } catch (e) {
    if (!(e instanceof ValidationFailed)) throw e;
    return e.details.map((d) => ({ field: `${at}.${d.field}`, reason: d.reason }));
  }
  return [];
}

function inlineProblems(src: Record<string, unknown>, at: string): ErrorDetail[] {
  const numTypes = src.numTypes as number;
  if (!(Number.isInteger(numTypes) && numTypes >= 1)) return [{ field: `${at}.numTypes`, reason: 'a positive integer' }];
  const out: ErrorDetail[] = [];
  if (src.timeUnit !== undefined && !TIME_UNITS.includes(src.timeUnit as TimeUnit)) out.push({ field: `${at}.timeUnit`, reason: `one of ${TIME_UNITS.join(', ')}` });
  if (src.truth !== undefined) out.push(...truthProblems(src.truth, `${at}.truth`));
  for (const part of ['train', 'dev', 'test']) {
    const seqs = src[part];
    if (seqs === undefined && part === 'dev') continue;
    if (!Array.isArray(seqs) || (part !== 'dev' && !seqs.some((q) => Array.isArray(q?.times) && q.times.length >= 2))) {
      out.push({ field: `${at}.${part}`, reason: 'a list of sequences {times, types}, at least one with 2 or more events' });
      continue;
    }
    try {
      validateEventDataset({ numTypes, sequences: seqs as EventSequence[] }, `${at}.${part}`);
    } catch (e) {
      if (!(e instanceof ValidationFailed)) throw e;
      out.push(...e.details);
    }
  }
  return out;
}

export interface TppEvalConfig {
  datasets: Array<{ name: string; source: DatasetSource }>;
  models: Array<{ name: string; kind: string; config: Record<string, unknown> }>;
  seeds: number[];
  /** Points per gap for sampled integrals in reported LLs (default 20). */
  integralPoints: number;
  /** Draws behind each predicted mean and type (default 50). */
  predictSamples: number;
  /** Add the homogeneous Poisson row (default true) and, for simulations, the true process (default true). */
  baselines: boolean;
  /** The horizon mode: OTD and count RMSE `horizon.events` ahead for every model (absent: off). */
  horizon?: HorizonOptions;
  /** Directory relative paths are resolved against (the config file's). */
  baseDir: string;
}

/** A YAML or JSON evaluation config file as written (not yet checked). */
export function readTppEvalFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return /\.json$/i.test(file) ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new ValidationFailed(`Cannot parse ${file}`, [{ field: 'config', reason: (e as Error).message }]);
  }
}

/** Reads a YAML or JSON evaluation config; `${SHARED_DATA}` in paths is the shared data folder. */
export function loadTppEvalConfig(file: string): TppEvalConfig {
  return validateTppEvalConfig(readTppEvalFile(file), path.dirname(path.resolve(file)));
}

/** Checks a parsed config (from a file or a job payload); every problem is named. */
export function validateTppEvalConfig(doc: unknown, baseDir = process.cwd()): TppEvalConfig {
  const details: ErrorDetail[] = [];
  const o = (doc ?? {}) as Record<string, unknown>;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new ValidationFailed('The evaluation config must be an object', [{ field: 'config', reason: 'must be an object' }]);
  for (const key of Object.keys(o)) if (!['datasets', 'models', 'seeds', 'integralPoints', 'predictSamples', 'baselines', 'horizon'].includes(key)) details.push({ field: key, reason: 'unknown field' });
  const datasets = Array.isArray(o.datasets) ? (o.datasets as Array<Record<string, unknown>>) : [];
  if (!datasets.length) details.push({ field: 'datasets', reason: 'list at least one dataset' });
  datasets.forEach((d, i) => details.push(...sourceProblems(d, `datasets[${i}]`)));
  const models = Array.isArray(o.models) ? (o.models as Array<Record<string, unknown>>) : [];
  if (!models.length) details.push({ field: 'models', reason: 'list at least one model' });
  const resolvedModels = models.map((m, i) => {
    const kind = typeof m === 'string' ? m : (m?.kind as string);
    const config = (typeof m === 'string' ? {} : (m?.config ?? {})) as Record<string, unknown>;
    try {
      eventModelRegistry.resolveConfig(kind, config);
    } catch (e) {
      const errs = e instanceof ValidationFailed ? e.details : [{ reason: String(e) }];
      for (const d of errs) details.push({ field: `models[${i}].${d.field ?? 'kind'}`, reason: d.reason });
    }
    return { name: (typeof m === 'object' && typeof m?.name === 'string' ? m.name : kind) as string, kind, config };
  });
  const seeds = o.seeds === undefined ? [0] : o.seeds;
  if (!Array.isArray(seeds) || !seeds.length || seeds.some((s) => !Number.isInteger(s) || s < 0)) details.push({ field: 'seeds', reason: 'a list of non-negative integers' });
  const num = (key: string, def: number, min: number, max: number) => {
    const v = o[key] === undefined ? def : o[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) details.push({ field: key, reason: `an integer in [${min}, ${max}]` });
    return v as number;
  };
  const integralPoints = num('integralPoints', TPP_SCORE_DEFAULTS.integralPoints, 1, 1000);
  const predictSamples = num('predictSamples', TPP_SCORE_DEFAULTS.predictSamples, 1, 10000);
  if (o.baselines !== undefined && typeof o.baselines !== 'boolean') details.push({ field: 'baselines', reason: 'true or false' });
  const { horizon, problems: horizonProblems } = parseHorizonOption(o.horizon);
  details.push(...horizonProblems);
  if (details.length) throw new ValidationFailed('Invalid evaluation config', details);
  return {
    datasets: datasets.map((d) => ({ name: d.name as string, source: d.source as DatasetSource })),
    models: resolvedModels,
    seeds: seeds as number[],
    integralPoints,
    predictSamples,
    baselines: o.baselines !== false,
    ...(horizon ? { horizon } : {}),
    baseDir,
  };
}
