/**
 * `npm run bench:ssm -- --part hiss [--seeds 3] [--epochs 30] [--width 32] [--layers 2] [--sequences 60]`
 * and `--part ls4 [--seeds 3] [--epochs 60] [--datasets fred_md,electricity_weekly]`: the state-space family's tables (issue 22). Each part writes its
 * result to var/bench/ssm-<part>.json; the "State-space models" section of docs/benchmarks.md
 * is rebuilt from every part's saved result, so parts can be run separately (they are long on
 * a 2-core machine). `--no-docs` leaves the docs alone. Figures, not pass/fail.
 */
import { loadKernelSettings } from '@seqcast/core';
import { configureKernels, selectBackend } from '@seqcast/tensor';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { writeBenchmarksSection } from './docs-section';
import { hissBenchmark, hissMarkdown, type HissResult } from './ssm-hiss';
import { ls4Benchmark, ls4Markdown, type Ls4Result } from './ssm-ls4';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) =>
  args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback;
const part = args.includes('--part') ? args[args.indexOf('--part') + 1] : 'hiss';
const out = path.join(__dirname, '..', 'var', 'bench');
const saved = (p: string) => path.join(out, `ssm-${p}.json`);
const log = (line: string) => console.log(line);

function load<T>(p: string): T | undefined {
  return existsSync(saved(p)) ? (JSON.parse(readFileSync(saved(p), 'utf8')) as T) : undefined;
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
      },
      log,
    );
    writeFileSync(saved('hiss'), JSON.stringify(r, null, 2));
  } else if (part === 'ls4') {
    const only = args.includes('--datasets') ? args[args.indexOf('--datasets') + 1].split(',') : undefined;
    const r = await ls4Benchmark(
      {
        seeds: flag('seeds', 3),
        firstSeed: flag('first-seed', 0),
        epochs: flag('epochs', 60),
        datasets: only,
      },
      log,
    );
    // One file per run fits a session: a run with the same budget adds its files to the saved
    // result (replacing those it ran again), so the table grows across runs.
    const before = load<Ls4Result>('ls4');
    if (
      before &&
      JSON.stringify({ ...before.budget, datasets: undefined }) ===
        JSON.stringify({ ...r.budget, datasets: undefined })
    )
      r.datasets = [
        ...before.datasets.filter((d) => !r.datasets.some((x) => x.name === d.name)),
        ...r.datasets,
      ];
    writeFileSync(saved('ls4'), JSON.stringify(r, null, 2));
  } else throw new Error(`--part must be hiss or ls4, not ${part}`);
  const sections = [
    '## State-space models',
    '',
    'Made by `npm run bench:ssm -- --part <hiss|ls4>` (bench/ssm.ts); each part saves var/bench/ssm-<part>.json and this section is rebuilt from every saved part.',
  ];
  const hiss = load<HissResult>('hiss');
  if (hiss) sections.push('', hissMarkdown(hiss));
  const ls4 = load<Ls4Result>('ls4');
  if (ls4) sections.push('', ls4Markdown(ls4));
  const md = sections.join('\n');
  console.log(`\n${md}`);
  if (!args.includes('--no-docs')) writeBenchmarksSection('State-space models', md);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
