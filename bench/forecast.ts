/**
 * Forecasting benchmark (npm run bench:forecast): ETTh2, target OT, univariate,
 * standardised with the train split's mean/std; lookback 336; ETT splits train
 * [0, 8640), val [8640, 11520), test [11520, 14400), later splits reaching back by the
 * lookback; test MSE/MAE over every test window (stride 1, no dropped last batch).
 *
 * Flags:
 *   --horizons 96,192,336,720   horizons to run
 *   --models a,b,...            kinds to run (default: all but ets, theta, arima and ensemble, which refit per test window)
 *   --st-epochs N               SpaceTime epochs (default 1)
 *   --st-windows N              SpaceTime: random subset of training windows per fit (0 = all 7585 at 720)
 *   --st-dims paper|small|tiny  SpaceTime widths: paper = D 128, d 64, 32 kernels; small = D 64, d 32, 16; tiny = D 32, d 32, 8
 *   --st-quirk                  reference-code loss (horizon only after epoch 1)
 *   --st-lr X                   SpaceTime AdamW rate (default 1e-3, the recipe's)
 *   --st-norm mean|last|none     SpaceTime per-window normalisation (default mean, the recipe's)
 *   --st-warmup X               SpaceTime warm-up in epochs (default 0.1: the recipe's 10 of 500 epochs, scaled)
 *   --backend auto|cpu|wasm|... tfjs backend (default: TF_BACKEND, else auto: chosen as the API chooses it)
 *
 * Any dataset (the M-competition protocol, bench/forecast-dataset.ts):
 *   --dataset FILE              a Monash .tsf or a CSV (long: unique_id,ds,y; wide: date + one column per series)
 *   --horizon H                 test length: each series' last H values (default: the file's @horizon)
 *   --seasonality m             season length for the models and the MASE lag (default 1)
 *   --models a,b,...            kinds, plus naive2 and theta-optimised (default: naive2, seasonal-naive, theta, theta-optimised, ets, nlinear)
 *   --lookback L                context of global kinds (default max(2H, 2m, 12), at most the shortest series)
 *   --max-series N              first N series only
 *   --threads N                 worker threads sharing out the series of per-series kinds (ets, theta, arima; default 1)
 *   --json FILE                 write the results as JSON
 *   --no-arnet-speed            skip the AR-Net 100k x 20 timing
 */
import { detachedContext, loadConfig } from '@seqcast/core';
import { ettSplits } from '@seqcast/eval';
import {
  ArNetForecaster,
  EnsembleForecaster,
  forecasterRegistry,
  LocalForecaster,
  simulateAr,
  stpe,
} from '@seqcast/forecast';
import { configureTensors } from '@seqcast/tensor';
import { writeFileSync } from 'fs';
import { ettTestErrors } from './ett-test-errors';
import { runDatasetBenchmark } from './forecast-dataset';
import { loadavg } from 'os';

const LOOKBACK = 336;

function flag(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? 'true' : v;
}

const DIMS: Record<string, Record<string, number>> = {
  paper: { modelDim: 128, kernelDim: 64, encoderKernels: 32, decoderKernels: 32 },
  small: { modelDim: 64, kernelDim: 32, encoderKernels: 16, decoderKernels: 16 },
  tiny: { modelDim: 32, kernelDim: 32, encoderKernels: 8, decoderKernels: 8 },
};

interface Row {
  kind: string;
  horizon: number;
  mse: number;
  mae: number;
  fitSeconds: number;
  epochSeconds?: number;
  epochs?: number;
  windows: number;
  peakRssMiB: number;
  note?: string;
}

function configFor(kind: string, horizon: number, st: Record<string, unknown>): Record<string, unknown> {
  switch (kind) {
    case 'naive':
      return {};
    case 'seasonal-naive':
      return { seasonLength: 24 };
    case 'drift':
      return {};
    case 'classic-ar':
      return { order: 48 };
    case 'dlinear':
    case 'nlinear':
      return { lookback: LOOKBACK, horizon };
    case 'ar-net':
      return { lags: LOOKBACK, horizon };
    case 'spacetime':
      return { lookback: LOOKBACK, horizon, ...st };
    default:
      return {};
  }
}

async function arnetSpeed(): Promise<{ seconds: number; stpe: number; epochs: number }> {
  const truth = new Array(20).fill(0);
  truth[0] = 0.3;
  truth[1] = -0.2;
  truth[2] = 0.1;
  const y = simulateAr({ coefficients: truth, length: 100_000 + 20, seed: 9 });
  const m = forecasterRegistry.create('ar-net', { lags: 20 }) as ArNetForecaster;
  const t0 = Date.now();
  const report = await m.fit([[y]], undefined, detachedContext());
  const seconds = (Date.now() - t0) / 1000;
  return { seconds, stpe: stpe(m.coefficients().weights[0], truth), epochs: report.epochs?.length ?? 0 };
}

/**
 * The ETTh2 run's default models: every kind but those fitted per series at forecast time
 * (ETS, Theta, ARIMA, ensembles of them), which would refit at each of the ~2,800 test windows.
 */
function ettDefaultKinds(): string[] {
  return forecasterRegistry.kinds().filter((k) => {
    const m = forecasterRegistry.create(k);
    const local = m instanceof LocalForecaster || m instanceof EnsembleForecaster;
    m.dispose();
    return !local;
  });
}

/** The tfjs backend and kernels as the API's boot chooses them (TF_BACKEND; --backend sets it). */
function apiBackend(): ReturnType<typeof configureTensors> {
  const requested = flag('backend');
  return configureTensors(loadConfig(requested ? { ...process.env, TF_BACKEND: requested } : process.env));
}

async function datasetMain(file: string, backend: string): Promise<void> {
  const h = flag('horizon');
  const result = await runDatasetBenchmark({
    file,
    horizon: h ? Number(h) : undefined,
    seasonality: Number(flag('seasonality', '1')),
    models: (flag('models', 'naive2,seasonal-naive,theta,theta-optimised,ets,nlinear') as string).split(','),
    lookback: flag('lookback') ? Number(flag('lookback')) : undefined,
    maxSeries: Number(flag('max-series', '0')),
    threads: Number(flag('threads', '1')),
  });
  const out = flag('json');
  if (out) writeFileSync(out, JSON.stringify({ backend, ...result, load: loadavg() }, null, 2));
}

async function main(): Promise<void> {
  const backend = await apiBackend();
  const dataset = flag('dataset');
  if (dataset) return datasetMain(dataset, backend.details);
  const horizons = (flag('horizons', '96,192,336,720') as string).split(',').map(Number);
  const kinds = (flag('models', ettDefaultKinds().join(',')) as string).split(',');
  const dimsName = flag('st-dims', 'small') as string;
  const st = {
    ...DIMS[dimsName],
    epochs: Number(flag('st-epochs', '1')),
    maxWindowsPerEpoch: Number(flag('st-windows', '0')),
    closedLoopOnlyAfterFirstEpoch: flag('st-quirk') === 'true',
    learningRate: Number(flag('st-lr', '1e-3')),
    warmupEpochs: Number(flag('st-warmup', '0.1')),
    normalisation: flag('st-norm', 'mean'),
    patience: 0,
  };
  const data = ettSplits(undefined, 'OT', LOOKBACK);
  console.log(
    `backend ${backend.details}; ETTh2 OT mean ${data.mean.toFixed(3)} std ${data.std.toFixed(3)}; SpaceTime ${JSON.stringify(st)}`,
  );
  const rows: Row[] = [];
  const peak = () => process.resourceUsage().maxRSS / 1024;
  for (const horizon of horizons) {
    for (const kind of kinds) {
      const model = forecasterRegistry.create(kind, configFor(kind, horizon, st));
      const t0 = Date.now();
      const report = await model.fit([[data.train]], kind === 'spacetime' ? [[data.valid]] : undefined, {
        ...detachedContext(),
        onEvent: (e) => {
          if (e.type === 'step' && e.step % 20 === 0)
            console.log(
              `  ${kind} h${horizon} epoch ${e.epoch} step ${e.step}/${e.steps} loss ${e.loss.toFixed(4)}`,
            );
          if (e.type === 'epoch')
            console.log(
              `  ${kind} h${horizon} epoch ${e.epoch}/${e.epochs} loss ${e.loss.toFixed(4)} val ${e.valMetric?.toFixed(4) ?? '-'}`,
            );
        },
      });
      const fitSeconds = (Date.now() - t0) / 1000;
      const { mse, mae } = ettTestErrors(model, data.test, LOOKBACK, horizon);
      const epochSecs = report.epochs?.map((e) => e.seconds);
      const row: Row = {
        kind,
        horizon,
        mse,
        mae,
        fitSeconds,
        epochSeconds: epochSecs?.length ? epochSecs.reduce((a, b) => a + b, 0) / epochSecs.length : undefined,
        epochs: epochSecs?.length,
        windows: report.windows,
        peakRssMiB: peak(),
      };
      rows.push(row);
      console.log(
        `${kind.padEnd(15)} h${String(horizon).padEnd(4)} test MSE ${mse.toFixed(4)} MAE ${mae.toFixed(4)}  fit ${fitSeconds.toFixed(1)} s${row.epochSeconds ? `, ${row.epochSeconds.toFixed(1)} s/epoch x ${row.epochs}` : ''}  windows ${row.windows}  peak RSS ${row.peakRssMiB.toFixed(0)} MiB`,
      );
      model.dispose();
    }
  }
  let speed: Awaited<ReturnType<typeof arnetSpeed>> | undefined;
  if (flag('no-arnet-speed') !== 'true') {
    speed = await arnetSpeed();
    console.log(
      `AR-Net 100,000 windows x 20 lags: fit ${speed.seconds.toFixed(2)} s (${speed.epochs} epochs), sTPE vs truth ${speed.stpe.toFixed(2)}`,
    );
  }
  const out = flag('json');
  if (out)
    writeFileSync(
      out,
      JSON.stringify(
        { backend: backend.details, spacetime: st, dims: dimsName, rows, arnetSpeed: speed, load: loadavg() },
        null,
        2,
      ),
    );
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
