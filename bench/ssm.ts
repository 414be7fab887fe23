/**
 * `npm run bench:ssm -- --part hiss [--seeds 3] [--epochs 30] [--width 32] [--layers 2] [--sequences 60]
 * [--frame heading|body] [--flat-input mean|last|full] [--lr 1e-3] [--patience 10] [--batch 4]
 * [--models hiss,flat_s4d,lstm,causal_transformer]`
 * and `--part ls4 [--seeds 3] [--epochs 60] [--datasets fred_md,electricity_weekly]`, and
 * `--part forecast [--seeds 3] [--first-seed 0] [--epochs 50] [--windows 3200] [--patience 0]
 * [--samples 100] [--datasets ...]`, and `--part irregular [--drop 0.3,0.5] [--seeds 3]
 * [--first-seed 0] [--epochs 50] [--windows 3200] [--samples 100] [--datasets ...]` (LS4 with
 * and without dt on series with points dropped at random, bench/ssm-ls4-irregular.ts), and
 * `--part speed [--steps 9] [--warmup 2] [--threads 1] [--no-torch] [--profile]` (one training
 * step beside PyTorch, bench/ssm-speed.ts): the state-space family's tables (issue 22). Each part writes its
 * result to var/bench/ssm-<part>.json and prints the tables of every saved part. `--write`
 * replaces the "State-space models" section of docs/benchmarks.md with them: off by default,
 * because var/bench does not outlive a fresh checkout while the section also holds earlier
 * runs and their discussion, which a rebuild from this checkout's saved parts would erase
 * (`--no-docs`, the old opt-out, is accepted and changes nothing). Figures, not pass/fail.
 */
import { loadKernelSettings } from '@seqcast/core';
import { configureKernels, selectBackend } from '@seqcast/tensor';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { writeBenchmarksSection } from './docs-section';
import { hissBenchmark, hissMarkdown, type HissResult } from './ssm-hiss';
import { ls4Benchmark, ls4Markdown, type Ls4Result } from './ssm-ls4';
import { ls4ForecastBenchmark, ls4ForecastMarkdown, type Ls4ForecastResult } from './ssm-ls4-forecast';
import { ls4IrregularBenchmark, ls4IrregularMarkdown, type Ls4IrregularResult } from './ssm-ls4-irregular';
import { speedBenchmark, speedMarkdown, type SpeedResult } from './ssm-speed';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) =>
  args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback;
const part = args.includes('--part') ? args[args.indexOf('--part') + 1] : 'hiss';
const only = args.includes('--datasets') ? args[args.indexOf('--datasets') + 1].split(',') : undefined;
const out = path.join(__dirname, '..', 'var', 'bench');
const saved = (p: string) => path.join(out, `ssm-${p}.json`);
const log = (line: string) => console.log(line);

function load<T>(p: string): T | undefined {
  return existsSync(saved(p)) ? (JSON.parse(readFileSync(saved(p), 'utf8')) as T) : undefined;
}

/**
 * One file per run fits a session: a run with the same budget adds its files to the saved
 * result (replacing those it ran again), so the table grows across runs.
 */
function mergeSaved<R extends { budget: { datasets?: string[] }; datasets: Array<{ name: string }> }>(
  p: string,
  r: R,
): R {
  const before = load<R>(p);
  const budget = (x: R) => JSON.stringify({ ...x.budget, datasets: undefined });
  if (before && budget(before) === budget(r))
    r.datasets = [
      ...before.datasets.filter((d) => !r.datasets.some((x) => x.name === d.name)),
      ...r.datasets,
    ];
  writeFileSync(saved(p), JSON.stringify(r, null, 2));
  return r;
}

async function main(): Promise<void> {
  configureKernels(loadKernelSettings());
  await selectBackend('cpu');
  mkdirSync(out, { recursive: true });
  if (part === 'hiss') {
    const r = await hissBenchmark(
      {
        seeds: flag('seeds', 3),
        epochs: flag('epochs', 30),
        patience: flag('patience', 10),
        width: flag('width', 32),
        layers: flag('layers', 2),
        sequences: flag('sequences', 60),
        batchSize: flag('batch', 4),
        learningRate: flag('lr', 1e-3),
        frame: (args.includes('--frame') ? args[args.indexOf('--frame') + 1] : 'heading') as 'heading',
        flatInput: (args.includes('--flat-input')
          ? args[args.indexOf('--flat-input') + 1]
          : 'mean') as 'mean',
        kinds: args.includes('--models') ? args[args.indexOf('--models') + 1].split(',') : undefined,
      },
      log,
    );
    writeFileSync(saved('hiss'), JSON.stringify(r, null, 2));
  } else if (part === 'ls4') {
    const r = await ls4Benchmark(
      {
        seeds: flag('seeds', 3),
        firstSeed: flag('first-seed', 0),
        epochs: flag('epochs', 60),
        datasets: only,
      },
      log,
    );
    mergeSaved('ls4', r);
  } else if (part === 'forecast') {
    const r = await ls4ForecastBenchmark(
      {
        seeds: flag('seeds', 3),
        firstSeed: flag('first-seed', 0),
        epochs: flag('epochs', 50),
        windows: flag('windows', 3200),
        patience: flag('patience', 0),
        samples: flag('samples', 100),
        datasets: only,
      },
      log,
    );
    mergeSaved('forecast', r);
  } else if (part === 'irregular') {
    const r = await ls4IrregularBenchmark(
      {
        drops: args.includes('--drop') ? args[args.indexOf('--drop') + 1].split(',').map(Number) : [0.3, 0.5],
        seeds: flag('seeds', 3),
        firstSeed: flag('first-seed', 0),
        epochs: flag('epochs', 50),
        windows: flag('windows', 3200),
        samples: flag('samples', 100),
        datasets: only,
      },
      log,
    );
    mergeSaved('irregular', r);
  } else if (part === 'speed') {
    const r = await speedBenchmark(
      {
        steps: flag('steps', 9),
        warmup: flag('warmup', 2),
        threads: flag('threads', 1),
        torch: !args.includes('--no-torch'),
        profile: args.includes('--profile'),
      },
      log,
    );
    writeFileSync(saved('speed'), JSON.stringify(r, null, 2));
  } else throw new Error(`--part must be hiss, ls4, forecast, irregular or speed, not ${part}`);
  const sections = [
    '## State-space models',
    '',
    'Made by `npm run bench:ssm -- --part <hiss|ls4|forecast|irregular|speed>` (bench/ssm.ts); each part saves var/bench/ssm-<part>.json; `--write` rebuilt this section from every saved part.',
  ];
  const hiss = load<HissResult>('hiss');
  if (hiss) sections.push('', hissMarkdown(hiss));
  const ls4 = load<Ls4Result>('ls4');
  if (ls4) sections.push('', ls4Markdown(ls4));
  const forecast = load<Ls4ForecastResult>('forecast');
  if (forecast) sections.push('', ls4ForecastMarkdown(forecast));
  const irregular = load<Ls4IrregularResult>('irregular');
  if (irregular) sections.push('', ls4IrregularMarkdown(irregular));
  const speed = load<SpeedResult>('speed');
  if (speed) sections.push('', speedMarkdown(speed));
  const md = sections.join('\n');
  console.log(`\n${md}`);
  if (args.includes('--write') && !args.includes('--no-docs'))
    writeBenchmarksSection('State-space models', md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
