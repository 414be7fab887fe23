import { ValidationFailed, type WorkContext, throwIfCancelled } from '@seqcast/core';
import { forecasterRegistry, generativeKinds } from '@seqcast/forecast';
import { ArGenerator, BlockBootstrapGenerator, type SeriesGenerator } from './classical-generators';
import { generationScores } from './generation-scores';
import { lastWindows } from './last-windows';
import { LS4_METRIC_BUDGET } from './metric-training';

export const CLASSICAL_GENERATORS = ['gaussian-ar', 'moving-block-bootstrap'] as const;
export type ClassicalGenerator = (typeof CLASSICAL_GENERATORS)[number];

/** LS4's generation protocol as a user asks for it (`POST /evaluations {kind: "generation"}`). */
export interface GenerationEvalConfig {
  /** T: every real sequence is the last T values of a series, z-scored by itself. */
  length: number;
  /** Generative model kinds (GET /models/kinds, capability "generative") with their options. */
  models: Array<{ kind: string; name: string; config: Record<string, unknown> }>;
  /** Classical generators fitted to the same real set, for comparison. */
  baselines: ClassicalGenerator[];
  seeds: number;
  /** The first seed (the run uses firstSeed .. firstSeed + seeds - 1), so a study can be extended by more seeds later. */
  firstSeed: number;
  /** Epochs of the metric networks (discriminator, predictor); LS4's protocol: 100. */
  metricEpochs: number;
}

export interface GenerationEvalRow {
  name: string;
  kind: string;
  seed: number;
  marginal: number;
  classification: number;
  classificationAccuracy: number;
  prediction: number;
  fitSeconds: number;
}

export interface GenerationEvalResult {
  sequences: number;
  length: number;
  rows: GenerationEvalRow[];
  /** Markdown: mean ± std per generator over seeds. */
  table: string;
}

const MAX_LENGTH = 4096;
const CONFIG_FIELDS = ['length', 'models', 'baselines', 'seeds', 'firstSeed', 'metricEpochs'];
const MAX_SEEDS = 10;

/** The config's form, every problem named by its field (the HTTP body's and the job payload's check). */
export function validateGenerationEvalConfig(raw: Record<string, unknown>): GenerationEvalConfig {
  const bad: Array<{ field: string; reason: string }> = [];
  // a misspelt option is refused, not ignored
  for (const key of Object.keys(raw))
    if (!CONFIG_FIELDS.includes(key))
      bad.push({ field: key, reason: `unknown field (fields: ${CONFIG_FIELDS.join(', ')})` });
  const int = (field: string, fallback: number, min: number, max: number) => {
    const v = raw[field] ?? fallback;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
      bad.push({ field, reason: `an integer in [${min}, ${max}]` });
      return fallback;
    }
    return v as number;
  };
  const length = int('length', 0, 4, MAX_LENGTH);
  const seeds = int('seeds', 3, 1, MAX_SEEDS);
  const firstSeed = int('firstSeed', 0, 0, 1_000_000);
  const metricEpochs = int('metricEpochs', LS4_METRIC_BUDGET.epochs, 1, 1000);
  const generative = generativeKinds();
  const models: GenerationEvalConfig['models'] = [];
  if (raw.models !== undefined && !Array.isArray(raw.models))
    bad.push({ field: 'models', reason: `a list of generative models (${generative.join(', ')})` });
  else
    ((raw.models ?? []) as unknown[]).forEach((m: unknown, i) => {
      const entry = (m ?? {}) as { kind?: unknown; config?: unknown; name?: unknown };
      if (typeof entry.kind !== 'string' || !generative.includes(entry.kind))
        return bad.push({
          field: `models.${i}.kind`,
          reason: `one of the generative kinds: ${generative.join(', ')}`,
        });
      if (entry.config !== undefined && (typeof entry.config !== 'object' || entry.config === null))
        return bad.push({ field: `models.${i}.config`, reason: "an object of the kind's options" });
      models.push({
        kind: entry.kind,
        name: typeof entry.name === 'string' ? entry.name : entry.kind,
        config: (entry.config ?? {}) as Record<string, unknown>,
      });
    });
  const baselines = (raw.baselines ?? [...CLASSICAL_GENERATORS]) as unknown[];
  if (!Array.isArray(baselines) || baselines.some((b) => !CLASSICAL_GENERATORS.includes(b as never)))
    bad.push({ field: 'baselines', reason: `a list of: ${CLASSICAL_GENERATORS.join(', ')}` });
  if (!bad.length && models.length + (baselines as unknown[]).length === 0)
    bad.push({ field: 'models', reason: 'name at least one model or baseline' });
  if (bad.length) throw new ValidationFailed('Invalid generation evaluation', bad);
  // each model's options checked now (with the window the protocol gives it), not in the job
  for (const [i, m] of models.entries()) {
    try {
      forecasterRegistry
        .definition(m.kind)
        .schema.parse(modelConfig(m.config, length, 0), m.kind, `models.${i}.config`);
    } catch (e) {
      if (e instanceof ValidationFailed) throw e;
      throw new ValidationFailed((e as Error).message, [
        { field: `models.${i}.config`, reason: (e as Error).message },
      ]);
    }
  }
  return { length, models, baselines: baselines as ClassicalGenerator[], seeds, firstSeed, metricEpochs };
}

/**
 * A generative model's window: the whole real sequence (lookback + horizon = T, the last
 * quarter as horizon), unless the user set them; the seed of the run.
 */
function modelConfig(config: Record<string, unknown>, length: number, seed: number): Record<string, unknown> {
  const horizon = Math.max(1, Math.floor(length / 4));
  return { lookback: length - horizon, horizon, ...config, seed };
}

/**
 * LS4's generation protocol on the given series: the real set is the last `length` values of
 * each series (lastWindows), every model and baseline is fitted to it once per seed and draws
 * as many sequences of that length, and the three metrics compare them with the real set.
 */
export async function runGenerationEvaluation(
  config: GenerationEvalConfig,
  series: ReadonlyArray<ArrayLike<number>>,
  ctx: WorkContext,
): Promise<GenerationEvalResult> {
  const { windows } = lastWindows(series, config.length);
  if (windows.length < 4)
    throw new ValidationFailed(
      `only ${windows.length} series have ${config.length} complete, non-constant values`,
      [{ field: 'length', reason: `at least 4 series must be this long (a shorter length takes more)` }],
    );
  const real = windows.map((w) => [w]);
  const rows: GenerationEvalRow[] = [];
  const total = config.seeds * (config.models.length + config.baselines.length);
  const budget = { ...LS4_METRIC_BUDGET, epochs: config.metricEpochs };
  for (let seed = config.firstSeed; seed < config.firstSeed + config.seeds; seed++) {
    const generators: Array<{
      name: string;
      kind: string;
      make: () => Promise<SeriesGenerator & { dispose?(): void }>;
    }> = [
      ...config.models.map((m) => ({
        name: m.name,
        kind: m.kind,
        make: async () => {
          const model = forecasterRegistry.create(m.kind, modelConfig(m.config, config.length, seed));
          await model.fit(
            windows.map((w) => [w]),
            undefined,
            ctx,
          );
          const g = model as unknown as {
            generate(count: number, length: number, seed?: number): Float32Array[][];
          };
          return {
            name: m.name,
            sample: (count: number, length: number, s: number) =>
              g.generate(count, length, s).map((x) => x[0]),
            dispose: () => model.dispose(),
          };
        },
      })),
      ...config.baselines.map((b) => ({
        name: b,
        kind: b,
        make: async () =>
          b === 'gaussian-ar' ? new ArGenerator(windows) : new BlockBootstrapGenerator(windows),
      })),
    ];
    for (const g of generators) {
      throwIfCancelled(ctx.signal);
      ctx.progress(rows.length / total, `seed ${seed}: ${g.name}`);
      const t0 = Date.now();
      const generator = await g.make();
      const fitSeconds = (Date.now() - t0) / 1000;
      try {
        const generated = generator.sample(windows.length, config.length, seed).map((s) => [s]);
        const s = generationScores(real, generated, { seed, budget });
        rows.push({
          name: g.name,
          kind: g.kind,
          seed,
          marginal: s.marginal.score,
          classification: s.classification.score,
          classificationAccuracy: s.classification.accuracy,
          prediction: s.prediction.score,
          fitSeconds,
        });
      } finally {
        generator.dispose?.();
      }
    }
  }
  ctx.progress(1, 'done');
  return { sequences: windows.length, length: config.length, rows, table: generationTable(rows) };
}

function meanStd(xs: number[]): string {
  const mean = xs.reduce((a, v) => a + v, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `${mean.toFixed(4)} ± ${std.toFixed(4)}`;
}

/** Mean ± std over seeds per generator; marginal and prediction lower is better, classification higher. */
export function generationTable(rows: GenerationEvalRow[]): string {
  const names = [...new Set(rows.map((r) => r.name))];
  return [
    '| generator | marginal (lower is better) | classification (higher is better; ln 2 = indistinguishable) | prediction (lower is better) | seeds |',
    '|---|---:|---:|---:|---:|',
    ...names.map((n) => {
      const rs = rows.filter((r) => r.name === n);
      return `| ${n} | ${meanStd(rs.map((r) => r.marginal))} | ${meanStd(rs.map((r) => r.classification))} | ${meanStd(rs.map((r) => r.prediction))} | ${rs.length} |`;
    }),
  ].join('\n');
}
