/**
 * Multi-step conformal intervals on ETTh2 OT (`npm run bench:conformal-horizon`): split,
 * ACI, EnbPI and SPCI around the zoo's classic-ar (order 24) and the NLinear-style ridge
 * (lookback 336), horizons 24 and 96, 60 rolling folds one horizon apart, alpha 0.1 and
 * 0.05, through the platform's interval backtest (libs/eval runIntervalBacktest). Prints the
 * coverage and mean width per group of six horizon steps, writes var/bench/conformal-horizon.json
 * and the "Conformal intervals over the horizon" section of docs/benchmarks.md.
 * Figures, not pass/fail. Options: --horizons 24,96 --alphas 0.1,0.05 --methods ... --no-docs.
 */
import { sharedDataDir, detachedContext } from '@seqcast/core';
import { IntervalSummaryRow, runIntervalBacktest, stepGroupFigures, STEP_GROUP } from '@seqcast/eval';
import { selectBackend } from '@seqcast/tensor';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { writeBenchmarksSection } from './docs-section';

const root = path.resolve(__dirname, '..');
const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const HORIZONS = arg('horizons', '24,96').split(',').map(Number);
const ALPHAS = arg('alphas', '0.1,0.05').split(',').map(Number);
const METHODS = arg('methods', 'split,aci,enbpi,spci').split(',');
const ALL_CHANNELS = arg('channels', 'OT') === 'all';
const FOLDS = 60;
const LOOKBACK = 336;
/**
 * Calibration origins per horizon (one horizon apart, before the first fold): as many as leave
 * the point model at least half of the rows before the folds to train on.
 */
const CALIBRATION: Record<number, number> = { 24: 300, 96: 60 };
/** SPCI: a lag short enough for the forest to start from the calibration residuals at H 96. */
const METHOD_OPTIONS: Record<string, Record<string, unknown>> = {
  split: {},
  aci: { gamma: 0.005 },
  enbpi: { window: 300 },
  spci: { lag: 10, window: 1000 },
};

/** The ETTh2 columns as series: OT alone, or with --channels all every one of the seven (more origins per figure). */
function readSeries(
  file: string,
  all: boolean,
): { key: string; times: Float64Array; values: Float32Array }[] {
  const lines = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  const header = lines[0].split(',');
  const rows = lines.slice(1).map((l) => l.split(','));
  const times = Float64Array.from(rows, (r) => Date.parse(`${r[0].replace(' ', 'T')}Z`));
  const columns = all ? header.slice(1) : ['OT'];
  return columns.map((key) => {
    const col = header.indexOf(key);
    return { key, times, values: Float32Array.from(rows, (r) => Number(r[col])) };
  });
}

interface Result {
  horizon: number;
  alpha: number;
  method: string;
  calibration: number;
  rows: IntervalSummaryRow[];
}

function table(results: Result[], horizon: number, alpha: number): string[] {
  const rs = results.filter((r) => r.horizon === horizon && r.alpha === alpha);
  if (!rs.length) return [];
  const cols = rs.flatMap((r) => r.rows.map((row) => ({ method: r.method, row })));
  const groups: Array<[number, number]> = [];
  for (let from = 0; from < horizon; from += STEP_GROUP)
    groups.push([from, Math.min(horizon, from + STEP_GROUP)]);
  const models = [...new Set(cols.map((c) => c.row.model))];
  const lines: string[] = [];
  for (const model of models) {
    const mc = cols.filter((c) => c.row.model === model);
    lines.push(
      `**${model}, horizon ${horizon}, alpha ${alpha}** (target ${(1 - alpha).toFixed(2)}; ${mc[0].row.points} points per method; coverage, mean width in brackets; a step group within 0.02 of the target unmarked, outside marked \\*)`,
      '',
      `| steps | ${mc.map((c) => c.method).join(' | ')} |`,
      `| --- | ${mc.map(() => '---:').join(' | ')} |`,
      ...groups.map(([from, to]) => {
        const cells = mc.map((c) => {
          const g = stepGroupFigures(c.row, from, to);
          const off = Math.abs(g.coverage - (1 - alpha)) > 0.02 ? '\\*' : '';
          return `${g.coverage.toFixed(3)}${off} (${g.meanWidth.toFixed(2)})`;
        });
        return `| ${from + 1}-${to} | ${cells.join(' | ')} |`;
      }),
      `| all | ${mc.map((c) => `${c.row.coverage.toFixed(3)} (${c.row.meanWidth.toFixed(2)})`).join(' | ')} |`,
      `| rolling (10 origins) min-max | ${mc.map((c) => `${c.row.rollingMin.toFixed(2)}-${c.row.rollingMax.toFixed(2)}`).join(' | ')} |`,
      '',
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const file = path.join(sharedDataDir(), 'forecasting', 'ETTh2.csv');
  if (!existsSync(file)) {
    console.log(`bench:conformal-horizon skipped: ${file} not found (set SEQCAST_SHARED_DATA)`);
    return;
  }
  await selectBackend('cpu');
  const series = readSeries(file, ALL_CHANNELS);
  const results: Result[] = [];
  const t0 = performance.now();
  for (const H of HORIZONS) {
    const models = [
      { name: 'classic-ar', kind: 'classic-ar', config: { order: 24, maxHorizon: H } },
      { name: 'nlinear', kind: 'nlinear', config: { lookback: LOOKBACK, horizon: H } },
    ];
    for (const alpha of ALPHAS) {
      for (const method of METHODS) {
        const calibration = CALIBRATION[H] ?? 100;
        const r = await runIntervalBacktest(
          {
            models,
            method,
            alpha,
            methodOptions: METHOD_OPTIONS[method] ?? {},
            series,
            lookback: LOOKBACK,
            horizon: H,
            folds: FOLDS,
            step: H,
            calibrationWindows: calibration,
          },
          detachedContext(),
        );
        results.push({ horizon: H, alpha, method, calibration, rows: r.rows });
        for (const row of r.rows)
          console.log(
            `H ${H} alpha ${alpha} ${method} ${row.model}: coverage ${row.coverage.toFixed(3)} width ${row.meanWidth.toFixed(3)}`,
          );
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const md = [
    '## Conformal intervals over the horizon',
    '',
    ...(ALL_CHANNELS
      ? [
          'All seven ETTh2 columns as series (each its own model and calibrator; figures pooled over them).',
          '',
        ]
      : []),
    `\`npm run bench:conformal-horizon\` (bench/conformal-horizon.ts; ${seconds.toFixed(0)} s on ${os.cpus()[0]?.model ?? 'unknown CPU'}, load ${os.loadavg()[0].toFixed(1)}).`,
    `ETTh2 OT, ${FOLDS} rolling folds one horizon apart ending at the series end, through the interval backtest of`,
    '`POST /evaluations` (libs/eval `runIntervalBacktest`). Point models: classic-ar (order 24) and the NLinear-style ridge',
    `(kind \`nlinear\`, lookback ${LOOKBACK}), each fitted once on the rows before the first calibration origin. Each calibrator`,
    `starts from the held-out residuals of consecutive forecast origins one horizon apart just before the first fold`,
    `(${HORIZONS.map((h) => `${CALIBRATION[h] ?? 100} at H ${h}`).join(', ')}), the cadence of the folds, and is updated with each fold's truth,`,
    "so every step's residual series has one time spacing. Method options: " +
      METHODS.map((m) => `${m} ${JSON.stringify(METHOD_OPTIONS[m] ?? {})}`).join(', ') +
      '. Levels nested by the union rule.',
    '',
    ...HORIZONS.flatMap((h) => ALPHAS.flatMap((a) => table(results, h, a))),
  ].join('\n');
  console.log(`\n${md}`);
  mkdirSync(path.join(root, 'var', 'bench'), { recursive: true });
  writeFileSync(path.join(root, 'var', 'bench', 'conformal-horizon.json'), JSON.stringify(results, null, 2));
  if (!process.argv.includes('--no-docs')) writeBenchmarksSection('Conformal intervals over the horizon', md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
