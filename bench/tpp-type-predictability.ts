/**
 * Is the next event's type predictable from its history at all? (`npm run bench:tpp-types`)
 * Fits predictors independent of the event models (class frequencies, Markov chains of order
 * 1 and 2 on the previous types, a multinomial logistic regression on the recent history:
 * bench/tpp-type-predictors.ts) on the splits the TPP benches use, and reports each one's test
 * accuracy and log-loss against the majority class. If none beats it beyond sampling error,
 * no event model can be asked to.
 *
 * Tasks (--tasks, default all):
 *   quakes      the San Jacinto windows of `bench:tpp` (30 days, first 200 events, magnitude
 *               classes < 1.5 / < 2 / >= 2, 70/10/20 in time order), read through libs/data
 *               and checked equal to `loadSplits`'s; the logistic rows also see the magnitudes
 *   spatial     the same windows and events, typed by thirds of the position along the fault
 *               (the first principal axis of the training epicentres, cut at its training terciles)
 *   few-long    libs/events realShapedSets(1)[0] (the truth's own P(type | history) as a row)
 *   many-short  realShapedSets(1)[1]
 * Deterministic: no draws (the sets are seeded simulations).
 */
import { readEventFile } from '@seqcast/data';
import { alongAxis, axisBin, fitAxisBins, loadSplits } from '@seqcast/eval';
import { HawkesParams, hawkesNextTypeProbabilities, realShapedSets } from '@seqcast/events';
import { readFileSync } from 'fs';
import * as os from 'os';
import {
  BATCH,
  classFrequencies,
  L2_GRID,
  logisticOnHistory,
  markov,
  MarkedSequence,
  Predict,
  scoredTypes,
  scoreTypes,
  TypeTask,
} from './tpp-type-predictors';
import { benchDataFile } from './shared-file';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

interface NamedTask extends TypeTask {
  name: string;
  markName?: string;
  truth?: HawkesParams;
}

const WINDOW = { windowDays: 30, magnitudeBins: [1.5, 2], maxEvents: 200 };

/**
 * The earthquake windows with each event's catalogue columns: libs/data's reader (as the
 * bench's) keeps the numeric columns as features; the windows are filtered, capped and split
 * as `loadSplits` does, and checked equal to its sequences event for event.
 */
async function quakeWindows(
  file: string,
): Promise<{ splits: Array<Array<MarkedSequence & { x: number[]; y: number[] }>> }> {
  const header = readFileSync(file, 'utf8').slice(0, 500).split('\n')[0].split(',');
  const featureNames = header.filter((h) => h !== 'time'); // every numeric column but the time, in file order
  const col = (name: string) => featureNames.indexOf(name);
  const d = await readEventFile(file, {
    format: 'csv',
    eventWindows: {
      timeColumn: 'time',
      window: `${WINDOW.windowDays}D`,
      typeFrom: { column: 'magnitude', bins: WINDOW.magnitudeBins },
    },
  });
  const F = featureNames.length;
  const windows = d.sequences
    .filter((s) => s.times.length >= 2)
    .map((s) => {
      const L = Math.min(s.times.length, WINDOW.maxEvents);
      const feat = (c: number) => Array.from({ length: L }, (_, i) => s.features![i * F + c]);
      return {
        times: Array.from(s.times.slice(0, L)),
        types: Array.from(s.types.slice(0, L)),
        marks: feat(col('magnitude')),
        x: feat(col('x')),
        y: feat(col('y')),
      };
    });
  const n = windows.length;
  const nTrain = Math.round(0.7 * n);
  const nDev = Math.round(0.1 * n);
  const splits = [
    windows.slice(0, nTrain),
    windows.slice(nTrain, nTrain + nDev),
    windows.slice(nTrain + nDev),
  ];
  // the bench's own windows: the same events, times and types
  const bench = await loadSplits({ kind: 'earthquakes', file, ...WINDOW }, process.cwd(), readEventFile);
  [bench.train, bench.dev, bench.test].forEach((b, si) => {
    const mine = splits[si];
    const same =
      b.sequences.length === mine.length &&
      b.sequences.every(
        (s, w) =>
          s.times.length === mine[w].times.length &&
          s.times.every((t, i) => t === mine[w].times[i] && s.types[i] === mine[w].types[i]),
      );
    if (!same) throw new Error(`the windows read here differ from loadSplits's (split ${si})`);
  });
  // the magnitude column is the one the classes were cut from
  for (const s of windows)
    s.marks.forEach((m, i) => {
      const k = m < WINDOW.magnitudeBins[0] ? 0 : m < WINDOW.magnitudeBins[1] ? 1 : 2;
      if (k !== s.types[i]) throw new Error(`magnitude ${m} is not of class ${s.types[i]}`);
    });
  return { splits };
}

/** The same windows typed by thirds of the position along the fault (training epicentres' first principal axis). */
function spatialTask(splits: Array<Array<MarkedSequence & { x: number[]; y: number[] }>>): NamedTask {
  // the fit and cuts of `loadSplits`'s `typeBy: position` (libs/eval axis-bins)
  const axis = fitAxisBins(
    splits[0].flatMap((s) => s.x),
    splits[0].flatMap((s) => s.y),
    3,
  );
  const retype = (s: MarkedSequence & { x: number[]; y: number[] }): MarkedSequence => ({
    times: s.times,
    types: s.x.map((x, i) => axisBin(axis, x, s.y[i])),
    marks: s.x.map((x, i) => alongAxis(axis, x, s.y[i])),
  });
  const [train, dev, test] = splits.map((sp) => sp.map(retype));
  return {
    name: 'San Jacinto windows, typed by thirds along the fault',
    markName: 'positions along the fault',
    numTypes: 3,
    train,
    dev,
    test,
  };
}

function truthPredict(truth: HawkesParams): Predict {
  return (split) =>
    split.flatMap((s) =>
      s.types
        .slice(1)
        .map((_, j) =>
          Float64Array.from(
            hawkesNextTypeProbabilities(truth, s.times.slice(0, j + 1), s.types.slice(0, j + 1)),
          ),
        ),
    );
}

function report(task: NamedTask): string {
  const y = scoredTypes(task.test);
  const ref = classFrequencies(task)(task.test);
  const logistic = logisticOnHistory(task);
  const withGap = logisticOnHistory(task, { nextGap: true });
  const loose = logisticOnHistory(task, { l2: L2_GRID[0] });
  const rows: Array<[string, Float64Array[]]> = [
    ['majority class (training class frequencies)', ref],
    ['Markov order 1: P(type | previous type)', markov(task, 1)(task.test)],
    ['Markov order 2: P(type | two previous types)', markov(task, 2)(task.test)],
    [
      `logistic on the history (${logistic.features} features${task.markName ? `, ${task.markName} included` : ''}; L2 ${logistic.l2} by dev log-loss)`,
      logistic.predict(task.test),
    ],
    [`the same, least penalty (L2 ${loose.l2})`, loose.predict(task.test)],
    [
      `logistic on the history and the next event's gap (not history-only; L2 ${withGap.l2})`,
      withGap.predict(task.test),
    ],
  ];
  if (task.truth) rows.push(['true process: P(type | history), exact', truthPredict(task.truth)(task.test)]);
  const f = (v: number, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : 'n/a');
  const lines = [
    `##### ${task.name}`,
    '',
    `${task.train.length} / ${task.dev.length} / ${task.test.length} sequences; ${y.length} test events (2..L of each sequence).`,
    '',
    '| predictor | accuracy | ± SE | gain over majority (± SE) | log-loss | saved over class frequencies (± SE) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const [name, p] of rows) {
    const s = scoreTypes(p, ref, y);
    lines.push(
      `| ${name} | ${f(s.accuracy)} | ${f(s.accuracySe)} | ${f(s.accuracyGain)} (± ${f(s.accuracyGainSe)}) | ${f(s.logLoss)} | ${f(s.logLossGain)} (± ${f(s.logLossGainSe)}) |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const wanted = arg('tasks', 'quakes,spatial,few-long,many-short').split(',');
  const tasks: NamedTask[] = [];
  if (wanted.includes('quakes') || wanted.includes('spatial')) {
    const file = benchDataFile('events/sanjac_earthquakes.csv');
    if (file) {
      const { splits } = await quakeWindows(file);
      const [train, dev, test] = splits.map((sp) =>
        sp.map(({ times, types, marks }) => ({ times, types, marks })),
      );
      if (wanted.includes('quakes'))
        tasks.push({
          name: "San Jacinto windows, magnitude classes < 1.5 / < 2 / >= 2 (bench:tpp's)",
          markName: 'magnitudes',
          numTypes: 3,
          train,
          dev,
          test,
        });
      if (wanted.includes('spatial')) tasks.push(spatialTask(splits));
    }
  }
  const sets = realShapedSets(1);
  for (const [key, i] of [
    ['few-long', 0],
    ['many-short', 1],
  ] as const) {
    if (!wanted.includes(key)) continue;
    const s = sets[i];
    tasks.push({
      name: `real-shaped: ${s.name}`,
      numTypes: s.truth.mu.length,
      train: s.train.sequences,
      dev: s.dev.sequences,
      test: s.test.sequences,
      truth: s.truth,
    });
  }
  const body = tasks.map(report).join('\n\n');
  console.log(
    `Run: \`npm run bench:tpp-types -- ${process.argv.slice(2).join(' ')}\` (${new Date().toISOString().slice(0, 16)}Z), ${((Date.now() - started) / 1000).toFixed(0)} s, load ${os.loadavg()[0].toFixed(1)}. Accuracy: argmax of the predicted probabilities; SE: binomial, sqrt(a (1 - a) / n). Gains are paired per test event against the majority class (accuracy) and the training class frequencies (log-loss, nats per event), with batch-means SEs over blocks of ${BATCH} consecutive test events (bursts make neighbouring events dependent).\n`,
  );
  console.log(body);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
