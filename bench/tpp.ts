/**
 * Event-model benchmark (`npm run bench:tpp`): every model on (a) the 3-type Hawkes
 * simulation (ground truth known), (b) EasyTPP's synthetic sample and (c) the San Jacinto
 * earthquake catalogue in 30-day windows; LL per event, RMSE (predicted mean and one
 * draw), type error rate, seconds per epoch. Figures, not pass/fail.
 *
 *   --epochs N        training epochs for every model (default: each model's step budget, early stopping)
 *   --models a,b      kinds (default all eight)
 *   --datasets a,b    hawkes,easytpp,sanjac (default all)
 *   --seeds 0,1       (default 0)
 *   --train N         Hawkes training sequences (default 700)
 *   --max-events N    cap per earthquake window (default 200)
 *   --quakes a;b      earthquake settings, one table each (default `magnitude`): `;`-separated lists of
 *                     `types=magnitude|position,days=30,min=1.5` (types: magnitude classes < 1.5 / < 2 / >= 2,
 *                     or thirds along the fault; days: window length; min: drop events below the magnitude)
 *   --samples N       draws per prediction (default 30)
 *   --set k.f=v,...   per-model config overrides, e.g. `intensity_free.epochs=40,intensity_free.patience=10`
 *                     (`*.f=v` applies to every model); numbers parsed, repeatable
 *   --write           put the tables into docs/benchmarks.md, section "Event sequences"
 */
import { detachedContext, loadConfig } from '@seqcast/core';
import { readEventFile } from '@seqcast/data';
import { TppEvalConfig, runTppEvaluation } from '@seqcast/eval';
import { configureTensors, getBackendInfo } from '@seqcast/tensor';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { benchDataFile } from './shared-file';
import { parseOverrides } from './tpp-args';
import { quakeDataset, quakeSettings } from './tpp-quakes';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

const ALL = ['rmtpp', 'nhp', 'thp', 'sahp', 'attnhp', 'fullynn', 'intensity_free', 'intensity_free_joint'];

async function main(): Promise<void> {
  // the configuration's kernel tier and backend; TF_BACKEND=auto (unset) means cpu, as for the recorded runs
  await configureTensors(loadConfig(), { auto: 'cpu' });
  // 0: the models' own budgets (steps, early stopping on the dev LL)
  const epochs = Number(arg('epochs', '0'));
  const kinds = arg('models', ALL.join(',')).split(',');
  const wanted = arg('datasets', 'hawkes,easytpp,sanjac').split(',');
  const seeds = arg('seeds', '0').split(',').map(Number);
  const nTrain = Number(arg('train', '700'));
  const maxEvents = Number(arg('max-events', '200'));
  const samples = Number(arg('samples', '30'));
  const overrides = parseOverrides();
  const datasets: TppEvalConfig['datasets'] = [];
  if (wanted.includes('hawkes')) datasets.push({ name: `Hawkes simulation (3 types, ${nTrain} train / 100 dev / 300 test sequences)`, source: { kind: 'hawkes', train: nTrain, dev: 100, test: 300, endTime: 70, seed: 1 } });
  const synth = wanted.includes('easytpp') ? benchDataFile('events/easytpp_synthetic.json') : null;
  if (synth) datasets.push({ name: 'easytpp_synthetic.json (8 sequences: 4 train / 2 dev / 2 test)', source: { kind: 'easytpp', file: synth, split: [0.5, 0.25, 0.25], seed: 0 } });
  const quakes = wanted.includes('sanjac') ? benchDataFile('events/sanjac_earthquakes.csv') : null;
  if (quakes) for (const q of quakeSettings(arg('quakes', 'magnitude'))) datasets.push(quakeDataset(quakes, q, maxEvents));
  const config: TppEvalConfig = {
    datasets,
    models: kinds.map((kind) => ({ name: kind, kind, config: { ...(epochs > 0 ? { epochs } : {}), batchSize: 64, ...overrides['*'], ...overrides[kind] } })),
    seeds,
    integralPoints: 20,
    predictSamples: samples,
    baselines: true,
    baseDir: process.cwd(),
  };
  const started = Date.now();
  const result = await runTppEvaluation(config, {
    ...detachedContext(),
    progress: (f, m) => process.stderr.write(`\r${(f * 100).toFixed(0).padStart(3)}% ${(m ?? '').slice(0, 110).padEnd(110)}`),
  }, readEventFile);
  process.stderr.write('\n');
  const info = getBackendInfo();
  const header = [
    `Run: \`npm run bench:tpp -- ${process.argv.slice(2).join(' ')}\` (${new Date().toISOString().slice(0, 10)}), ${epochs > 0 ? `${epochs} epochs` : 'default step budgets'}, seeds ${seeds.join(', ')}, backend ${info.name} (${info.details}), ${os.cpus()[0]?.model ?? 'cpu'}, one Node thread on a shared 2-core machine; ${((Date.now() - started) / 60000).toFixed(1)} min in all.`,
    'LL per event in each dataset\'s time unit (named above its table), counting events 2..L of each sequence given the first (EasyTPP\'s convention); integrals exact where the model has one, else 20 stratified Monte Carlo points per gap (unbiased). RMSE (mean): predicted mean gap (exact truncated mean for IntensityFree, else the mean of the draws); RMSE (1 draw): one sampled gap, EasyTPP\'s figure. Type error: argmax of P(type) averaged over the draws. s / epoch: training steps only, mean over the epochs; median s / epoch: the median epoch (the steady state, without the JIT warm-up of the first epochs).',
  ].join('\n\n');
  console.log(header + '\n\n' + result.table);
  mkdirSync('var/bench', { recursive: true });
  writeFileSync('var/bench/tpp.json', JSON.stringify(result, null, 2));
  if (process.argv.includes('--write')) writeSection(header + '\n\n' + result.table);
}

/** Replaces (or appends) the "Event sequences" section of docs/benchmarks.md, nothing else. */
function writeSection(body: string): void {
  const file = path.join('docs', 'benchmarks.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const title = '## Event sequences (libs/events)';
  const start = text.indexOf(title);
  const section = `${title}\n\n<!-- bench:tpp results start -->\n${body.trim()}\n<!-- bench:tpp results end -->\n`;
  let out: string;
  if (start < 0) out = text.trimEnd() + '\n\n' + section;
  else {
    const rest = text.slice(start + title.length);
    const m = rest.match(/<!-- bench:tpp results start -->[\s\S]*?<!-- bench:tpp results end -->\n?/);
    out = m ? text.slice(0, start + title.length) + rest.replace(m[0], `<!-- bench:tpp results start -->\n${body.trim()}\n<!-- bench:tpp results end -->\n`) : text.slice(0, start) + section + rest.replace(/^[\s\S]*?(?=\n## |$)/, '');
  }
  writeFileSync(file, out);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
