/**
 * The event zoo on small real-shaped Hawkes sets (`npm run bench:tpp-shapes`): few long
 * bursty sequences, many short ones, one type, long gaps in a large time unit
 * (libs/events realShapedSets). Every model at its defaults against the Poisson and
 * majority-class baselines and the true process; the table's flags column is the sanity gate.
 *
 *   --models a,b   kinds (default every neural kind)
 *   --seeds 0,1    (default 0)
 *   --sets a,b     indices of the sets (default all: 0 few long, 1 many short, 2 one type, 3 long gaps)
 *   --set k.f=v    per-model config overrides (`*.f=v` for every model)
 */
import { detachedContext, loadConfig } from '@seqcast/core';
import { runTppEvaluation, TppEvalConfig } from '@seqcast/eval';
import { EVENT_MODELS_AUTO_BACKEND, realShapedSets } from '@seqcast/events';
import { configureTensors } from '@seqcast/tensor';
import * as os from 'os';
import { parseOverrides } from './tpp-args';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

const ALL = ['rmtpp', 'nhp', 'thp', 'sahp', 'attnhp', 'fullynn', 'intensity_free', 'intensity_free_joint'];

async function main(): Promise<void> {
  await configureTensors(loadConfig(), { auto: EVENT_MODELS_AUTO_BACKEND });
  const kinds = arg('models', ALL.join(',')).split(',');
  const seeds = arg('seeds', '0').split(',').map(Number);
  const sets = realShapedSets(1);
  const wanted = arg('sets', sets.map((_, i) => i).join(','))
    .split(',')
    .map(Number);
  const o = parseOverrides();
  const config: TppEvalConfig = {
    datasets: wanted.map((i) => {
      const s = sets[i];
      const truth = { kind: 'hawkes' as const, ...s.truth };
      return {
        name: s.name,
        source: {
          kind: 'inline',
          numTypes: s.truth.mu.length,
          train: s.train.sequences,
          dev: s.dev.sequences,
          test: s.test.sequences,
          truth,
        },
      };
    }),
    models: kinds.map((kind) => ({ name: kind, kind, config: { ...o['*'], ...o[kind] } })),
    seeds,
    integralPoints: 20,
    predictSamples: 20,
    baselines: true,
    baseDir: process.cwd(),
  };
  const started = Date.now();
  const r = await runTppEvaluation(config, {
    ...detachedContext(),
    progress: (f, m) =>
      process.stderr.write(`\r${(f * 100).toFixed(0).padStart(3)}% ${(m ?? '').slice(0, 100).padEnd(100)}`),
  });
  process.stderr.write('\n');
  console.log(
    `Run: \`npm run bench:tpp-shapes -- ${process.argv.slice(2).join(' ')}\` (${new Date().toISOString().slice(0, 16)}Z), ${os.loadavg()[0].toFixed(1)} load at the end, ${((Date.now() - started) / 60000).toFixed(1)} min.\n`,
  );
  console.log(r.table);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
