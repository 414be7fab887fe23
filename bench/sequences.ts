/**
 * Sequence-level models by the EBES protocol (`npm run bench:sequences`): the cost of one HPO
 * trial of the GRU on JapaneseVowels (3 seeds on the 0.7 / 0.15 / 0.15 split), then the
 * protocol over JapaneseVowels, the Pendulum and the Hawkes pair with a stated budget: test
 * metric mean ± std per model, groups by Mann-Whitney U + Benjamini-Hochberg at 0.01, mean
 * ranks, the drop-time and permute ablations. Published UEA figures for JapaneseVowels are
 * printed beside. Figures, not pass/fail.
 *
 *   --budget NAME      full | small | tiny | bench (default bench: the budget this 2-core
 *                      shared machine fits, stated in the output)
 *   --datasets a,b     japanese_vowels,pendulum,hawkes_pair (default all)
 *   --models a,b       gru,transformer,mean_pool_mlp,coles,mtand (default all)
 *   --seeds N          final seeds (overrides the budget's)
 *   --max-epochs N     epoch cap (overrides the budget's)
 *   --trial-only       only the HPO trial cost
 *   --out FILE         the results as JSON (default $TMPDIR/seqcast-bench-sequences.json)
 */
import { detachedContext, loadConfig, sharedDataFile } from '@seqcast/core';
import { sequenceModelRegistry } from '@seqcast/events';
import {
  HPO_SPLIT,
  JAPANESE_VOWELS,
  loadSequenceDataset,
  meanRanks,
  runSequenceEvaluation,
  sequenceMarkdown,
  type SequenceDatasetResult,
  sequenceMetric,
  splitPool,
  validateSequenceEvalConfig,
} from '@seqcast/eval';
import { configureTensors } from '@seqcast/tensor';
import { execSync } from 'child_process';
import { mkdirSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}
const uptime = () => execSync('uptime').toString().trim();

/**
 * The budget the recorded run used on the shared 2-core machine (six helpers and two
 * training runs beside it): 2 TPE trials of 2 seeds (both random start-up draws at this size),
 * 6 final seeds (the fewest whose exact Mann-Whitney p can pass 0.01 after
 * Benjamini-Hochberg), 1 seed per ablation, at most 15 epochs, generated sets of 300 / 200.
 */
const BENCH_BUDGET = { hpo: { trials: 2, seeds: 2 }, seeds: 6, ablationSeeds: 1, maxEpochs: 15 };

/**
 * Published test accuracies on JapaneseVowels (official split): Bagnall et al., "The UEA
 * multivariate time series classification archive, 2018" (arXiv:1811.00075), benchmark table
 * (1-NN with Euclidean, independent and dependent DTW); Kudo, Toyama and Shimbo (1999), the
 * dataset's paper (passing-through regions), as the UCI page reports it.
 */
const PUBLISHED = [
  { method: '1-NN ED (UEA archive 2018)', accuracy: 0.924 },
  { method: '1-NN DTW_I (UEA archive 2018)', accuracy: 0.959 },
  { method: '1-NN DTW_D (UEA archive 2018)', accuracy: 0.949 },
  { method: 'Passing-through regions (Kudo et al. 1999)', accuracy: 0.941 },
];

/** One HPO trial of the GRU with its default config: 3 seeds, each fitted and scored on HPO-validation. */
async function trialCost(): Promise<{ seconds: number; cpuSeconds: number; accuracies: number[] }> {
  const d = loadSequenceDataset('japanese_vowels', { kind: 'japanese_vowels' }, process.cwd());
  const [train, valid, hpoValid] = splitPool(d.pool, HPO_SPLIT, 0);
  const t0 = Date.now();
  // CPU time of this process too: on a machine shared with many runs, wall time mostly measures the others
  const cpu0 = process.cpuUsage();
  const accuracies: number[] = [];
  for (let seed = 0; seed < 3; seed++) {
    const m = sequenceModelRegistry.create('gru', d.schema, { seed });
    await m.fit(train, valid, detachedContext());
    accuracies.push(sequenceMetric('accuracy', m.predict(hpoValid), hpoValid));
    m.dispose();
  }
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (Date.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, accuracies };
}

async function main(): Promise<void> {
  await configureTensors(loadConfig(), { auto: 'cpu' });
  if (!sharedDataFile('sequences/JapaneseVowels_TRAIN.ts')) {
    console.error(`JapaneseVowels is absent (${JAPANESE_VOWELS.train()}): set SEQCAST_SHARED_DATA`);
    process.exit(1);
  }
  console.log(`load before: ${uptime()}`);
  const trial = await trialCost();
  console.log(
    `\nOne HPO trial of the GRU on JapaneseVowels (defaults, 3 seeds, train 189 / valid 41 / HPO-valid 40): ${trial.seconds.toFixed(1)} s wall, ${trial.cpuSeconds.toFixed(1)} s CPU; HPO-valid accuracy ${trial.accuracies.map((a) => a.toFixed(3)).join(', ')}`,
  );
  console.log(`load after the trial: ${uptime()}`);
  if (process.argv.includes('--trial-only')) return;

  const budget = arg('budget', 'bench');
  const wanted = arg('datasets', 'japanese_vowels,pendulum,hawkes_pair').split(',');
  const generated = budget === 'bench' ? { pool: 300, test: 200 } : {};
  const datasets = [
    { name: 'japanese_vowels', source: { kind: 'japanese_vowels' }, metric: 'accuracy' },
    { name: 'hawkes_pair', source: { kind: 'hawkes_pair', seed: 0, ...generated }, metric: 'accuracy' },
    { name: 'pendulum', source: { kind: 'pendulum', seed: 0, ...generated }, metric: 'mse' },
  ].filter((d) => wanted.includes(d.name));
  const config = validateSequenceEvalConfig({
    datasets,
    models: arg('models', 'gru,transformer,mean_pool_mlp,coles,mtand').split(','),
    ...(budget === 'bench' ? { budget: 'small', ...BENCH_BUDGET } : { budget }),
    ...(arg('seeds', '') ? { seeds: Number(arg('seeds', '')) } : {}),
    ...(arg('max-epochs', '') ? { maxEpochs: Number(arg('max-epochs', '')) } : {}),
  });
  console.log(
    `\nProtocol budget ${budget}: ${config.hpo.method} ${config.hpo.trials} trials x ${config.hpo.seeds} seeds, ${config.seeds} final seeds, ablations ${config.ablationSeeds} seeds, maxEpochs ${config.maxEpochs || 'model defaults'}${budget === 'bench' ? ', generated sets 300 pool / 200 test' : ''}`,
  );
  // one dataset at a time, each table printed when it is done (a long run shows its figures as it goes)
  const started = Date.now();
  const parts: SequenceDatasetResult[] = [];
  for (const [i, d] of config.datasets.entries()) {
    let lastPct = -1;
    const r = await runSequenceEvaluation(
      { ...config, datasets: [d] },
      {
        ...detachedContext(),
        progress: (f, m) => {
          const pct = Math.floor(f * 10) * 10;
          if (pct !== lastPct)
            process.stderr.write(`[${i + 1}/${config.datasets.length}] ${pct}% ${m ?? ''}\n`);
          lastPct = pct;
        },
      },
    );
    parts.push(...r.datasets);
    console.log(`\n${r.table.split('\n### Ranks')[0]}`);
    console.log(`(${d.name}: ${(r.seconds / 60).toFixed(1)} min; load ${uptime()})`);
  }
  const partial = {
    settings: config,
    datasets: parts,
    meanRanks: meanRanks(parts.map((d) => Object.fromEntries(d.models.map((m) => [m.name, m.group])))),
    seconds: (Date.now() - started) / 1000,
  };
  const result = { ...partial, table: sequenceMarkdown(partial) };
  console.log(`\n${result.table.slice(result.table.indexOf('### Ranks'))}`);
  const jv = result.datasets.find((d) => d.name === 'japanese_vowels');
  if (jv) {
    console.log('\nJapaneseVowels test accuracy beside published figures (official train/test):\n');
    console.log('| method | accuracy |\n| --- | --- |');
    for (const m of jv.models)
      console.log(
        `| ${m.name} (this run, ${m.final.values.length} seeds) | ${m.final.mean.toFixed(4)} ± ${m.final.std.toFixed(4)} |`,
      );
    for (const p of PUBLISHED) console.log(`| ${p.method} | ${p.accuracy.toFixed(3)} |`);
  }
  console.log(`\nprotocol: ${(result.seconds / 60).toFixed(1)} min; load after: ${uptime()}`);
  const out = arg('out', path.join(os.tmpdir(), 'seqcast-bench-sequences.json'));
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ trial, budget, result }, null, 2));
  console.log(`results: ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
