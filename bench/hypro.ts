/**
 * HYPRO benchmark (`npm run bench:hypro`): HYPRO against plain autoregressive sampling from
 * its own AttNHP base, `--events` (default 20) events ahead of each test history, on the
 * 3-type Hawkes simulation (with the true process's own samples as the floor) and on the
 * San Jacinto earthquakes (30-day windows). Figures: mean OTD (averaged over deletion costs
 * 0.05 .. 4) and per-type count RMSE over the test windows, mean ± std over seeds. Not
 * pass/fail.
 *
 *   --seeds 0,1,2        (default 0,1,2)
 *   --datasets a,b       hawkes,sanjac (default both)
 *   --events N           continuation length (default 20)
 *   --train N            training sequences (Hawkes: simulated, with 40 dev sequences; earthquakes: the first N
 *                        training windows, dev the 10% after them; default 200)
 *   --test N             test windows (default 50)
 *   --max-events N       cap per earthquake window (default 120)
 *   --set f=v,...        HYPRO config overrides (base and energy), numbers parsed
 */
import { detachedContext, loadConfig, sharedDataFile } from '@seqcast/core';
import { readEventFile } from '@seqcast/data';
import { horizonScore, LoadedSplits, loadSplits } from '@seqcast/eval';
import { eventModelRegistry, HawkesModel, HyproModel } from '@seqcast/events';
import { configureTensors } from '@seqcast/tensor';
import { mkdirSync, writeFileSync } from 'fs';
import * as os from 'os';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

function overrides(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of arg('set', '').split(',').filter(Boolean)) {
    const [k, v] = item.split('=');
    out[k] = v === 'true' ? true : v === 'false' ? false : Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}

/** Sized for one Node thread on a shared 2-core machine (the paper trains far longer). */
const BUDGET = {
  hidden: 32,
  heads: 2,
  layers: 1,
  epochs: 10,
  batchSize: 32,
  trainProposals: 5,
  proposals: 10,
  windowsPerSequence: 2,
  maxWindows: 150,
  energyEpochs: 20,
  energyBatchSize: 8,
  energyLearningRate: 0.005,
  energyContext: 32,
};

const meanStd = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const s = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) : 0;
  return `${m.toFixed(3)} ± ${s.toFixed(3)}`;
};

async function main(): Promise<void> {
  await configureTensors(loadConfig(), { auto: 'cpu' });
  const seeds = arg('seeds', '0,1,2').split(',').map(Number);
  const wanted = arg('datasets', 'hawkes,sanjac').split(',');
  const events = Number(arg('events', '20'));
  const nTrain = Number(arg('train', '200'));
  const nTest = Number(arg('test', '50'));
  const maxEvents = Number(arg('max-events', '120'));
  const config = { ...BUDGET, horizonEvents: events, ...overrides() };
  const horizon = { events, minHistory: 5, maxWindows: nTest };
  const datasets: Array<{ name: string; load: () => Promise<LoadedSplits> }> = [];
  if (wanted.includes('hawkes'))
    datasets.push({
      name: `Hawkes simulation (3 types, ${nTrain} train / ${nTest} test sequences, horizon ${events} events)`,
      load: () =>
        loadSplits(
          { kind: 'hawkes', train: nTrain, dev: 40, test: nTest, endTime: 70, seed: 1 },
          process.cwd(),
        ),
    });
  const quakes = sharedDataFile('events/sanjac_earthquakes.csv');
  if (wanted.includes('sanjac')) {
    if (quakes)
      datasets.push({
        name: `San Jacinto earthquakes (30-day windows, 3 magnitude classes, first ${maxEvents} events per window, time-ordered 70/10/20, horizon ${events} events)`,
        load: async () => {
          const d = await loadSplits(
            { kind: 'earthquakes', file: quakes, windowDays: 30, magnitudeBins: [1.5, 2], maxEvents },
            process.cwd(),
            readEventFile,
          );
          return { ...d, train: { ...d.train, sequences: d.train.sequences.slice(0, nTrain) } };
        },
      });
    else
      console.error(
        'skipping sanjac: events/sanjac_earthquakes.csv not found (set SEQCAST_SHARED_DATA=/work/shared/data)',
      );
  }
  const started = Date.now();
  const out: string[] = [];
  const json: unknown[] = [];
  for (const ds of datasets) {
    const data = await ds.load();
    const rows = new Map<string, { otd: number[]; rmse: number[] }>();
    const add = (name: string, s: { otd: number; countRmse: number }) => {
      const r = rows.get(name) ?? { otd: [], rmse: [] };
      r.otd.push(s.otd);
      r.rmse.push(s.countRmse);
      rows.set(name, r);
    };
    let windows = 0;
    for (const seed of seeds) {
      const t0 = Date.now();
      const m = eventModelRegistry.create('hypro', data.numTypes, { ...config, seed }) as HyproModel;
      try {
        await m.fit(data.train, data.dev, {
          ...detachedContext(),
          progress: (f, msg) =>
            process.stderr.write(
              `\r${ds.name.slice(0, 20)} seed ${seed} ${(f * 100).toFixed(0).padStart(3)}% ${(msg ?? '').slice(0, 60).padEnd(60)}`,
            ),
        });
        const fitS = (Date.now() - t0) / 1000;
        if (data.truth)
          add(
            'true process (its own samples)',
            horizonScore(new HawkesModel(data.truth), data.test, horizon, seed),
          );
        const t1 = Date.now();
        const base = horizonScore(m.base, data.test, horizon, seed);
        const t2 = Date.now();
        const hypro = horizonScore(m, data.test, horizon, seed);
        const t3 = Date.now();
        windows = hypro.horizonWindows;
        add('AttNHP (plain sampling)', base);
        add(`HYPRO (AttNHP + energy, best of ${config.proposals})`, hypro);
        json.push({
          dataset: ds.name,
          seed,
          base,
          hypro,
          fitSeconds: fitS,
          baseSeconds: (t2 - t1) / 1000,
          hyproSeconds: (t3 - t2) / 1000,
        });
        process.stderr.write(
          `\n${ds.name.slice(0, 20)} seed ${seed}: fit ${fitS.toFixed(0)} s, base OTD ${base.otd.toFixed(2)} RMSE ${base.countRmse.toFixed(2)}, HYPRO OTD ${hypro.otd.toFixed(2)} RMSE ${hypro.countRmse.toFixed(2)} (${((t3 - t2) / 1000).toFixed(0)} s)\n`,
        );
      } finally {
        m.dispose();
      }
    }
    out.push(
      `#### ${ds.name}`,
      '',
      `${windows} test windows, seeds ${seeds.join(', ')}`,
      '',
      '| model | OTD | count RMSE |',
      '| --- | ---: | ---: |',
    );
    for (const [name, r] of rows) out.push(`| ${name} | ${meanStd(r.otd)} | ${meanStd(r.rmse)} |`);
    out.push('');
  }
  const header = `Run: \`npm run bench:hypro -- ${process.argv.slice(2).join(' ')}\` (${new Date().toISOString().slice(0, 10)}), config ${JSON.stringify(config)}, ${os.cpus()[0]?.model ?? 'cpu'}, one Node thread; ${((Date.now() - started) / 60000).toFixed(1)} min in all; load at the end: ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(', ')}.`;
  console.log(header + '\n\n' + out.join('\n'));
  mkdirSync('var/bench', { recursive: true });
  writeFileSync('var/bench/hypro.json', JSON.stringify(json, null, 2));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
