/**
 * Online test-time adaptation benchmark (`npm run bench:adapt [-- --only petsa|onenet]
 * [--quick] [--no-docs] [--horizons 24,48] [--models ols,ar-net] [--data 1|7]`), ETTh2 from ../shared/data/forecasting (or $SEQCAST_SHARED_DATA):
 *
 * - PETSA protocol: lookback 96, horizons 96 / 192 / 336 / 720, the standard ETT splits
 *   (train 8640, validation 2880, test 2880 hours), values standardised by the train part;
 *   univariate OT and all 7 variables; OLS (the 'linear' kind: one least-squares map on the values, ridge 1e-6), NLinear and
 *   AR-Net; test MSE without adaptation, with TAFAS and with PETSA (libs/eval runOnlineProtocol:
 *   each window's forecast is made before any of its truths arrive).
 * - OneNet protocol: lookback 60, horizons 1 / 24 / 48, 4 months train / 1 validation /
 *   15 test, batch 1, updates only on labels already observed (no leakage, unlike the
 *   reference at horizon > 1): the frozen model, each online branch alone, and OneNet.
 * - Cost: milliseconds of one PETSA adaptation step (univariate, OLS, L = H = 96).
 *
 * Prints markdown, writes var/bench/adapt.json and the "Online adaptation" section of
 * docs/benchmarks.md. Figures, not pass/fail.
 */
import { adapterRegistry, frozenForecast } from '@seqcast/adapt';
import { loadKernelSettings, sharedDataDir } from '@seqcast/core';
import { ETT_HOURLY_BORDERS, readCsvColumn, runOnlineProtocol, type OnlineProtocolRow } from '@seqcast/eval';
import { forecasterRegistry } from '@seqcast/forecast';
import { configureKernels, selectBackend } from '@seqcast/tensor';
import { existsSync, mkdirSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeBenchmarksSection } from './docs-section';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const quick = args.includes('--quick');
/** `--horizons 24,48`, `--models ols`, `--data 7`: a part of the tables (then docs are not written) */
const pick = (name: string) =>
  args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1].split(',') : undefined;
const [onlyHorizons, onlyModels, onlyData] = [pick('horizons')?.map(Number), pick('models'), pick('data')];
const noDocs = args.includes('--no-docs') || quick || !!(onlyHorizons || onlyModels || onlyData);
const chosenModels = (all: Model[]) => all.filter((m) => !onlyModels || onlyModels.includes(m));
const chosenHorizons = (all: number[]) => all.filter((h) => !onlyHorizons || onlyHorizons.includes(h));
const COLUMNS = ['HUFL', 'HULL', 'MUFL', 'MULL', 'LUFL', 'LULL', 'OT'];
const ctx = { signal: new AbortController().signal, progress: () => undefined };
const load = () => os.loadavg()[0].toFixed(2);

type Model = 'ols' | 'nlinear' | 'ar-net';
const models: Record<
  Model,
  (L: number, H: number) => { name: string; create: () => ReturnType<typeof forecasterRegistry.create> }
> = {
  ols: (L, H) => ({
    name: 'OLS (linear, ridge 1e-6)',
    create: () => forecasterRegistry.create('linear', { lookback: L, horizon: H, ridge: 1e-6 }),
  }),
  nlinear: (L, H) => ({
    name: 'NLinear (ridge 1e-6)',
    create: () => forecasterRegistry.create('nlinear', { lookback: L, horizon: H, ridge: 1e-6 }),
  }),
  'ar-net': (L, H) => ({
    name: 'AR-Net',
    create: () => forecasterRegistry.create('ar-net', { lags: L, horizon: H, seed: 1 }),
  }),
};

/** Learning rates tried for every adapter; the one with the lowest MSE on the validation stream is used on test. */
const LR_GRID = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4];

interface Adapt {
  name: string;
  method: string;
  options?: Record<string, unknown>;
}

interface Spec {
  lookback: number;
  horizon: number;
  trainEnd: number;
  validEnd: number;
  model: Model;
}

/**
 * Picks each adapter's learning rate without looking at the test part: the same protocol run
 * with the validation part as its stream (the model fitted on the train part's first 85%,
 * validated on the rest of it). Returns the adapters with `lr` set, and the choices.
 */
async function tuned(
  channels: ReadonlyArray<Float64Array>,
  spec: Spec,
  adapters: Adapt[],
): Promise<{ adapters: Adapt[]; chosen: Record<string, number> }> {
  const rows = await runOnlineProtocol(
    {
      channels: channels.map((c) => c.subarray(0, spec.validEnd)),
      lookback: spec.lookback,
      horizon: spec.horizon,
      trainEnd: Math.floor(spec.trainEnd * 0.85),
      validEnd: spec.trainEnd,
      model: models[spec.model](spec.lookback, spec.horizon),
      adapters: adapters.flatMap((a) =>
        LR_GRID.map((lr) => ({ name: `${a.name}@${lr}`, method: a.method, options: { ...a.options, lr } })),
      ),
      stride: quick ? 8 : 2,
    },
    ctx,
  );
  const chosen: Record<string, number> = {};
  const out = adapters.map((a) => {
    const mse = (lr: number) => rows.find((r) => r.adapter === `${a.name}@${lr}`)!.mse;
    const best = [...LR_GRID].sort((x, y) => mse(x) - mse(y))[0];
    chosen[a.name] = best;
    return { ...a, options: { ...a.options, lr: best } };
  });
  return { adapters: out, chosen };
}

interface Table {
  protocol: string;
  data: string;
  horizon: number;
  rows: OnlineProtocolRow[];
  /** The learning rate chosen on validation, per adapter. */
  chosen: Record<string, number>;
  seconds: number;
  load: string;
}

/** Tunes the adapters' learning rates on validation, then runs the test stream; one table. */
async function protocolTable(
  protocol: string,
  data: string,
  channels: ReadonlyArray<Float64Array>,
  spec: Spec,
  adapters: Adapt[],
  intervals?: { method: string; alpha: number; options?: Record<string, unknown> },
): Promise<Table> {
  const t0 = Date.now();
  const { adapters: withLr, chosen } = await tuned(channels, spec, adapters);
  const rows = await runOnlineProtocol(
    {
      channels,
      lookback: spec.lookback,
      horizon: spec.horizon,
      trainEnd: spec.trainEnd,
      validEnd: spec.validEnd,
      model: models[spec.model](spec.lookback, spec.horizon),
      adapters: withLr,
      intervals,
      stride: quick ? 8 : 1,
    },
    ctx,
  );
  const t = {
    protocol,
    data,
    horizon: spec.horizon,
    rows,
    chosen,
    seconds: (Date.now() - t0) / 1000,
    load: load(),
  };
  console.log(JSON.stringify(t));
  return t;
}

async function petsa(channels: Float64Array[], data: string, out: Table[]): Promise<void> {
  const ett = channels.map((c) => c.subarray(0, ETT_HOURLY_BORDERS.test[1]));
  for (const model of chosenModels(quick ? ['ols'] : ['ols', 'nlinear', 'ar-net']))
    for (const horizon of chosenHorizons(quick ? [96] : [96, 192, 336, 720]))
      out.push(
        await protocolTable(
          'petsa',
          data,
          ett,
          {
            lookback: 96,
            horizon,
            trainEnd: ETT_HOURLY_BORDERS.train[1],
            validEnd: ETT_HOURLY_BORDERS.valid[1],
            model,
          },
          [
            { name: 'TAFAS', method: 'tafas' },
            { name: 'PETSA', method: 'petsa' },
          ],
          { method: 'split', alpha: 0.1, options: { window: 720 } },
        ),
      );
}

async function onenet(channels: Float64Array[], data: string, out: Table[]): Promise<void> {
  const month = 30 * 24;
  const stream = channels.map((c) => c.subarray(0, 20 * month));
  for (const model of chosenModels(quick ? ['ols'] : ['ols', 'ar-net']))
    for (const horizon of chosenHorizons(quick ? [24] : [1, 24, 48]))
      out.push(
        await protocolTable(
          'onenet',
          data,
          stream,
          { lookback: 60, horizon, trainEnd: 4 * month, validEnd: 5 * month, model },
          [
            { name: 'time branch', method: 'onenet', options: { branch: 'time' } },
            { name: 'variable branch', method: 'onenet', options: { branch: 'variable' } },
            { name: 'OneNet', method: 'onenet' },
          ],
          { method: 'aci', alpha: 0.1, options: { window: 720 } },
        ),
      );
}

async function stepCost(ot: Float64Array): Promise<{ msPerStep: number; steps: number; load: string }> {
  const L = 96;
  const z = Float32Array.from(ot.subarray(0, 4000));
  const m = forecasterRegistry.create('nlinear', { lookback: L, horizon: L, ridge: 1e-6 });
  await m.fit([[z.subarray(0, 3000)]], undefined, ctx);
  const unit = { mean: [0], std: [1] };
  const frozen = frozenForecast((x, h) => m.forward(x, h), { lookback: L, channels: 1, maxHorizon: L }, unit);
  const a = adapterRegistry.create('petsa', {}, { frozen, horizon: L, scale: unit });
  a.start([z.subarray(3000 - L, 3000)]);
  let ms = 0;
  let steps = 0;
  for (let t = 3000; t < 4000; t++) {
    const t0 = performance.now();
    const ups = a.observe([[z[t]]], t - (3000 - L));
    const dt = performance.now() - t0;
    if (t > 3300 && ups.length) {
      ms += dt;
      steps += ups.length;
    }
  }
  a.dispose();
  m.dispose();
  return { msPerStep: ms / steps, steps, load: load() };
}

const f = (v: number | undefined, d = 4) => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));

function markdown(tables: Table[], cost?: Awaited<ReturnType<typeof stepCost>>): string {
  const lines = [
    '## Online adaptation',
    '',
    "Made by `npm run bench:adapt` (bench/adapt.ts) on this machine; ETTh2 from ../shared/data, values standardised by the train part (MSE/MAE in those units, as the papers report). Every window is forecast before any of its truths arrive; adapters update only on labels already observed. Each adapter's learning rate is chosen from 1e-2 ... 1e-4 on the validation part (the same protocol with the validation months as its stream), never on test; other options are the defaults.",
    '',
  ];
  const petsaTables = tables.filter((t) => t.protocol === 'petsa');
  if (petsaTables.length) {
    lines.push(
      '### PETSA protocol (lookback 96, standard ETT splits, split-conformal intervals at 90% on every forecast)',
      '',
    );
    lines.push(
      '| data | model | horizon | no adaptation | TAFAS | PETSA | TAFAS gain | PETSA gain | params TAFAS / PETSA | coverage none / TAFAS / PETSA | lr TAFAS / PETSA | s (load) |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const t of petsaTables) {
      const [none, tafas, pet] = ['none', 'TAFAS', 'PETSA'].map((n) => t.rows.find((r) => r.adapter === n)!);
      const gain = (r: OnlineProtocolRow) => `${(100 * (1 - r.mse / none.mse)).toFixed(1)}%`;
      lines.push(
        `| ${t.data} | ${none.model} | ${t.horizon} | ${f(none.mse)} | ${f(tafas.mse)} | ${f(pet.mse)} | ${gain(tafas)} | ${gain(pet)} | ${tafas.parameterCount} / ${pet.parameterCount} | ${f(none.coverage, 3)} / ${f(tafas.coverage, 3)} / ${f(pet.coverage, 3)} | ${t.chosen.TAFAS} / ${t.chosen.PETSA} | ${t.seconds.toFixed(0)} (${t.load}) |`,
      );
    }
    const groups = new Map<string, Table[]>();
    for (const t of petsaTables)
      groups.set(`${t.data} / ${t.rows[0].model}`, [
        ...(groups.get(`${t.data} / ${t.rows[0].model}`) ?? []),
        t,
      ]);
    lines.push(
      '',
      "Averages over the horizons (the papers' headline figure; PETSA paper, ETTh1 OLS: 0.552 -> TAFAS 0.535 -> PETSA 0.530, gains 3.1% and 4.0%):",
      '',
    );
    lines.push(
      '| data / model | no adaptation | TAFAS | PETSA | TAFAS gain | PETSA gain |',
      '|---|---|---|---|---|---|',
    );
    for (const [k, ts] of groups) {
      const avg = (n: string) =>
        ts.reduce((s, t) => s + t.rows.find((r) => r.adapter === n)!.mse, 0) / ts.length;
      const [a0, a1, a2] = [avg('none'), avg('TAFAS'), avg('PETSA')];
      lines.push(
        `| ${k} | ${f(a0)} | ${f(a1)} | ${f(a2)} | ${(100 * (1 - a1 / a0)).toFixed(1)}% | ${(100 * (1 - a2 / a0)).toFixed(1)}% |`,
      );
    }
    lines.push('');
  }
  const oneTables = tables.filter((t) => t.protocol === 'onenet');
  if (oneTables.length) {
    lines.push(
      '### OneNet protocol (lookback 60, 4 months train / 1 validation / 15 test, batch 1, no label leakage; ACI intervals at 90% around every forecast)',
      '',
    );
    lines.push(
      '| data | model | horizon | frozen | time branch | variable branch | OneNet | OneNet paper (ETTh2, with leakage at h > 1) | FSNet paper | lr time / variable / OneNet | ACI coverage frozen / OneNet | s (load) |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
    );
    const paper: Record<number, [string, string]> = {
      1: ['0.380', '0.466'],
      24: ['0.532', '0.687'],
      48: ['0.609', '0.846'],
    };
    for (const t of oneTables) {
      const m = (n: string) => f(t.rows.find((r) => r.adapter === n)?.mse);
      const lr = ['time branch', 'variable branch', 'OneNet'].map((n) => t.chosen[n]).join(' / ');
      lines.push(
        `| ${t.data} | ${t.rows[0].model} | ${t.horizon} | ${m('none')} | ${m('time branch')} | ${m('variable branch')} | ${m('OneNet')} | ${paper[t.horizon]?.[0] ?? '-'} | ${paper[t.horizon]?.[1] ?? '-'} | ${lr} | ${f(t.rows.find((r) => r.adapter === 'none')?.coverage, 3)} / ${f(t.rows.find((r) => r.adapter === 'OneNet')?.coverage, 3)} | ${t.seconds.toFixed(0)} (${t.load}) |`,
      );
    }
    lines.push('');
  }
  if (cost)
    lines.push(
      `Cost: one PETSA adaptation step (univariate, OLS, L = H = 96): ${cost.msPerStep.toFixed(2)} ms (mean of ${cost.steps} steps, load ${cost.load}); goal < 5 ms.`,
      '',
    );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const file = path.join(sharedDataDir(), 'forecasting', 'ETTh2.csv');
  if (!existsSync(file)) {
    console.log(`bench:adapt skipped: ${file} not found (set SEQCAST_SHARED_DATA)`);
    return;
  }
  configureKernels(loadKernelSettings());
  await selectBackend('cpu');
  const all = COLUMNS.map((c) => readCsvColumn(file, c));
  const ot = all[COLUMNS.indexOf('OT')];
  const tables: Table[] = [];
  for (const [data, channels] of [
    ['ETTh2 OT', [ot]],
    ['ETTh2 (7 variables)', all],
  ] as const) {
    if (onlyData && !onlyData.includes(String(channels.length))) continue;
    if (only !== 'onenet') await petsa([...channels], data, tables);
    if (only !== 'petsa') await onenet([...channels], data, tables);
    if (quick) break;
  }
  const cost = only === 'onenet' ? undefined : await stepCost(ot);
  const md = markdown(tables, cost);
  console.log(`\n${md}`);
  mkdirSync(path.join(__dirname, '..', 'var', 'bench'), { recursive: true });
  writeFileSync(
    path.join(__dirname, '..', 'var', 'bench', 'adapt.json'),
    JSON.stringify({ tables, cost }, null, 2),
  );
  if (!noDocs) writeBenchmarksSection('Online adaptation', md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
