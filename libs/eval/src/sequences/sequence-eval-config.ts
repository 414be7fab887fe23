import { ErrorDetail, sharedDataDir, ValidationFailed } from '@seqcast/core';
import {
  checkSequenceRows,
  DEFAULT_SEARCH_SPACES,
  sequenceModelRegistry,
  type SearchSpace,
  type SequenceRow,
  type SequenceSchema,
} from '@seqcast/events';
import * as path from 'path';
import { readTppEvalFile } from '../tpp/tpp-eval-config';
import { SEQUENCE_METRICS, type SequenceMetric } from './sequence-metrics';

export type SequenceSource =
  /** A UEA / sktime `.ts` classification problem from its official TRAIN and TEST files. */
  | { kind: 'uea'; train: string; test: string }
  /** JapaneseVowels from the shared data folder. */
  | { kind: 'japanese_vowels' }
  /** The seeded Pendulum generator (pendulum.ts; options as PendulumOptions). */
  | { kind: 'pendulum'; pool?: number; test?: number; seed?: number }
  /** Which of two Hawkes processes generated a sequence (hawkes-pair.ts). */
  | { kind: 'hawkes_pair'; pool?: number; test?: number; seed?: number; duration?: number }
  /** Rows given as they are. */
  | { kind: 'inline'; schema: SequenceSchema; pool: SequenceRow[]; test: SequenceRow[] };

export const SEQUENCE_SOURCE_KINDS = ['uea', 'japanese_vowels', 'pendulum', 'hawkes_pair', 'inline'] as const;
export const ABLATIONS = ['drop_time', 'permute'] as const;
export type Ablation = (typeof ABLATIONS)[number];

/**
 * Presets for machines of different sizes: `full` is EBES's protocol (70 TPE trials of 3
 * seeds, 20 final seeds); the others cut trials, seeds and epochs. Explicit fields win.
 */
export const SEQUENCE_BUDGETS = {
  full: { trials: 70, hpoSeeds: 3, seeds: 20, ablationSeeds: 20, maxEpochs: 0 },
  small: { trials: 6, hpoSeeds: 3, seeds: 10, ablationSeeds: 3, maxEpochs: 40 },
  tiny: { trials: 2, hpoSeeds: 2, seeds: 3, ablationSeeds: 2, maxEpochs: 4 },
} as const;
export type SequenceBudget = keyof typeof SEQUENCE_BUDGETS;

export interface SequenceEvalConfig {
  datasets: Array<{ name: string; source: SequenceSource; metric: SequenceMetric | null }>;
  models: Array<{ name: string; kind: string; config: Record<string, unknown>; search: SearchSpace }>;
  budget: SequenceBudget;
  hpo: { method: 'tpe' | 'random'; trials: number; seeds: number };
  /** Final runs: one per seed, each with its own reshuffled train / validation split. */
  seeds: number;
  ablations: Ablation[];
  ablationSeeds: number;
  /** Caps every model's epochs (0: the model's own). */
  maxEpochs: number;
  /** The HPO split's shuffle. */
  splitSeed: number;
  /** Significance level of the grouping (after Benjamini-Hochberg). */
  alpha: number;
  baseDir: string;
}

const TOP_FIELDS = [
  'datasets',
  'models',
  'budget',
  'hpo',
  'seeds',
  'ablations',
  'ablationSeeds',
  'maxEpochs',
  'splitSeed',
  'alpha',
];

/** A YAML or JSON config file as written (not yet checked): the TPP evaluation's reader. */
export const readSequenceEvalFile = readTppEvalFile;

/** Reads and checks a YAML or JSON config; relative paths resolve against the file's folder. */
export function loadSequenceEvalConfig(
  file: string,
  overrides: Record<string, unknown> = {},
): SequenceEvalConfig {
  const doc = readSequenceEvalFile(file);
  return validateSequenceEvalConfig({ ...(doc as object), ...overrides }, path.dirname(path.resolve(file)));
}

/** `${SHARED_DATA}` is the shared data folder; other relative paths resolve against baseDir. */
export function resolveDataPath(p: string, baseDir: string): string {
  const expanded = p.replace('${SHARED_DATA}', sharedDataDir());
  return path.resolve(baseDir, expanded);
}

function sourceProblems(src: Record<string, unknown>, at: string): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  const count = (key: string, min: number) => {
    const v = src[key];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min))
      out.push({ field: `${at}.${key}`, reason: `an integer of at least ${min}` });
  };
  switch (src?.kind) {
    case 'uea':
      for (const k of ['train', 'test'])
        if (typeof src[k] !== 'string') out.push({ field: `${at}.${k}`, reason: 'the path of the .ts file' });
      break;
    case 'japanese_vowels':
      break;
    case 'pendulum':
    case 'hawkes_pair':
      count('pool', 20);
      count('test', 10);
      count('seed', 0);
      if (src.duration !== undefined && !((src.duration as number) > 0))
        out.push({ field: `${at}.duration`, reason: 'a positive number' });
      break;
    case 'inline': {
      const schema = src.schema as SequenceSchema;
      if (!schema || (schema.task !== 'classification' && schema.task !== 'regression')) {
        out.push({ field: `${at}.schema.task`, reason: "'classification' or 'regression'" });
        break;
      }
      for (const part of ['pool', 'test']) {
        try {
          checkSequenceRows(
            src[part] as SequenceRow[],
            { ...schema, categoricalCardinalities: schema.categoricalCardinalities ?? [] },
            `${at}.${part}`,
          );
        } catch (e) {
          if (!(e instanceof ValidationFailed)) throw e;
          out.push(...e.details.map((d) => ({ field: d.field ?? `${at}.${part}`, reason: d.reason })));
        }
      }
      break;
    }
    default:
      out.push({ field: `${at}.kind`, reason: `one of ${SEQUENCE_SOURCE_KINDS.join(', ')}` });
  }
  return out;
}

/** The task a source's data has, when it is known without reading files. */
function sourceTask(src: SequenceSource): 'classification' | 'regression' | null {
  if (src.kind === 'pendulum') return 'regression';
  if (src.kind === 'inline') return src.schema?.task ?? null;
  return 'classification';
}

/** Checks a parsed config (from a file or an HTTP body); every problem is named by its field. */
export function validateSequenceEvalConfig(doc: unknown, baseDir = process.cwd()): SequenceEvalConfig {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new ValidationFailed('The evaluation config must be an object', [
      { field: 'config', reason: 'must be an object' },
    ]);
  const o = doc as Record<string, unknown>;
  const details: ErrorDetail[] = [];
  for (const key of Object.keys(o))
    if (!TOP_FIELDS.includes(key) && key !== 'kind') details.push({ field: key, reason: 'unknown field' });
  const budget = (o.budget ?? 'full') as SequenceBudget;
  if (!(budget in SEQUENCE_BUDGETS))
    details.push({ field: 'budget', reason: `one of ${Object.keys(SEQUENCE_BUDGETS).join(', ')}` });
  const preset = SEQUENCE_BUDGETS[budget] ?? SEQUENCE_BUDGETS.full;

  const datasets = Array.isArray(o.datasets) ? (o.datasets as Array<Record<string, unknown>>) : [];
  if (!datasets.length) details.push({ field: 'datasets', reason: 'list at least one dataset' });
  const names = new Set<string>();
  datasets.forEach((d, i) => {
    const at = `datasets[${i}]`;
    if (typeof d?.name !== 'string' || !d.name)
      details.push({ field: `${at}.name`, reason: 'a name is required' });
    else if (names.has(d.name)) details.push({ field: `${at}.name`, reason: `'${d.name}' is used twice` });
    else names.add(d.name);
    const src = (d?.source ?? {}) as Record<string, unknown>;
    details.push(...sourceProblems(src, `${at}.source`));
    if (d?.metric !== undefined) {
      const m = SEQUENCE_METRICS[d.metric as SequenceMetric];
      const task = sourceTask(src as SequenceSource);
      if (!m)
        details.push({
          field: `${at}.metric`,
          reason: `unknown metric '${String(d.metric)}': one of ${Object.keys(SEQUENCE_METRICS).join(', ')}`,
        });
      else if (task && m.task !== task)
        details.push({
          field: `${at}.metric`,
          reason: `${String(d.metric)} is a ${m.task} metric; this dataset is ${task}`,
        });
    }
  });

  const models = Array.isArray(o.models) ? (o.models as Array<Record<string, unknown> | string>) : [];
  if (!models.length) details.push({ field: 'models', reason: 'list at least one model' });
  const modelNames = new Set<string>();
  const resolved = models.map((m, i) => {
    const kind = typeof m === 'string' ? m : (m?.kind as string);
    const config = (typeof m === 'string' ? {} : (m?.config ?? {})) as Record<string, unknown>;
    const name = typeof m === 'object' && typeof m?.name === 'string' ? m.name : kind;
    if (!sequenceModelRegistry.kinds().includes(kind)) {
      details.push({
        field: `models[${i}].kind`,
        reason: `unknown model '${String(kind)}': one of ${sequenceModelRegistry.kinds().join(', ')}`,
      });
      return { name, kind, config, search: {} };
    }
    if (modelNames.has(name)) details.push({ field: `models[${i}].name`, reason: `'${name}' is used twice` });
    modelNames.add(name);
    try {
      sequenceModelRegistry.resolveConfig(kind, config);
    } catch (e) {
      const errs = e instanceof ValidationFailed ? e.details : [{ field: undefined, reason: String(e) }];
      for (const d of errs) details.push({ field: `models[${i}].${d.field ?? 'config'}`, reason: d.reason });
    }
    const search = (
      typeof m === 'object' && m?.search !== undefined ? m.search : DEFAULT_SEARCH_SPACES[kind]
    ) as SearchSpace;
    const fields = sequenceModelRegistry.describe().find((x) => x.kind === kind)!.configSchema.properties;
    for (const [key, dim] of Object.entries(search ?? {})) {
      const f = `models[${i}].search.${key}`;
      if (!(key in fields)) details.push({ field: f, reason: `not a config field of ${kind}` });
      else if (
        dim?.type === 'categorical'
          ? !Array.isArray(dim.choices) || !dim.choices.length
          : !(
              (dim?.type === 'float' || dim?.type === 'int') &&
              dim.low < dim.high &&
              (!dim.log || dim.low > 0)
            )
      )
        details.push({
          field: f,
          reason: '{type: float|int, low < high (low > 0 when log)} or {type: categorical, choices: [...]}',
        });
    }
    return { name, kind, config, search: search ?? {} };
  });

  const hpo = (o.hpo ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(hpo))
    if (!['method', 'trials', 'seeds'].includes(key))
      details.push({ field: `hpo.${key}`, reason: 'unknown field' });
  const method = (hpo.method ?? 'tpe') as 'tpe' | 'random';
  if (method !== 'tpe' && method !== 'random')
    details.push({ field: 'hpo.method', reason: "'tpe' or 'random'" });
  const int = (v: unknown, def: number, field: string, min: number, max: number) => {
    const x = v === undefined ? def : v;
    if (!(Number.isInteger(x) && (x as number) >= min && (x as number) <= max))
      details.push({ field, reason: `an integer in [${min}, ${max}]` });
    return x as number;
  };
  const trials = int(hpo.trials, preset.trials, 'hpo.trials', 0, 1000);
  const hpoSeeds = int(hpo.seeds, preset.hpoSeeds, 'hpo.seeds', 1, 100);
  const seeds = int(o.seeds, preset.seeds, 'seeds', 1, 1000);
  const ablationSeeds = int(o.ablationSeeds, preset.ablationSeeds, 'ablationSeeds', 1, 1000);
  const maxEpochs = int(o.maxEpochs, preset.maxEpochs, 'maxEpochs', 0, 100000);
  const splitSeed = int(o.splitSeed, 0, 'splitSeed', 0, 2 ** 31);
  const ablations = (o.ablations ?? [...ABLATIONS]) as Ablation[];
  if (!Array.isArray(ablations) || ablations.some((a) => !ABLATIONS.includes(a)))
    details.push({ field: 'ablations', reason: `a list of ${ABLATIONS.join(', ')}` });
  const alpha = (o.alpha ?? 0.01) as number;
  if (!(typeof alpha === 'number' && alpha > 0 && alpha < 1))
    details.push({ field: 'alpha', reason: 'a number in (0, 1)' });
  if (details.length) throw new ValidationFailed('Invalid sequence evaluation config', details);
  return {
    datasets: datasets.map((d) => ({
      name: d.name as string,
      source: d.source as SequenceSource,
      metric: (d.metric as SequenceMetric) ?? null,
    })),
    models: resolved,
    budget,
    hpo: { method, trials, seeds: hpoSeeds },
    seeds,
    ablations,
    ablationSeeds,
    maxEpochs,
    splitSeed,
    alpha,
    baseDir,
  };
}
