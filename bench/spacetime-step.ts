/**
 * `npm run bench:spacetime`: SpaceTime's cost per training step and per epoch at a chosen width
 * (default the paper's: D 128, d 64, 32 + 32 kernels), lookback 336, horizon 720, batch 50
 * (ETTh2's recipe; 7585 training windows = 152 steps per epoch).
 *
 *   --dims paper|small|tiny   widths (bench/forecast.ts's names)
 *   --steps N                 timed steps after one warm-up (default 5)
 *   --profile                 also print where a step goes, kernel by kernel (tf.profile)
 *   --epoch                   also run one real epoch on ETTh2 through fit() (all windows)
 *
 * Prints seconds per step (wall and this process's CPU), the epoch they extrapolate to,
 * the load average and peak RSS. Figures, not pass/fail.
 */
import { detachedContext, loadKernelSettings } from '@seqcast/core';
import { ettSplits } from '@seqcast/eval';
import { forecasterRegistry, SpaceTimeForecaster, WindowSet } from '@seqcast/forecast';
import { configureKernels, selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { loadavg } from 'os';

const LOOKBACK = 336;
const HORIZON = 720;
const BATCH = 50;
const DIMS: Record<string, Record<string, number>> = {
  paper: { modelDim: 128, kernelDim: 64, encoderKernels: 32, decoderKernels: 32 },
  small: { modelDim: 64, kernelDim: 32, encoderKernels: 16, decoderKernels: 16 },
  tiny: { modelDim: 32, kernelDim: 32, encoderKernels: 8, decoderKernels: 8 },
};

function flag(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? 'true' : v;
}

const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () => loadavg()[0].toFixed(2);
const peakMiB = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);

/** The model's own loss on one batch, through the same plan fit() trains on. */
interface PlanAccess {
  trainingPlan(
    w: WindowSet,
    v: WindowSet | null,
    ctx: unknown,
  ): {
    train: { batch(rows: number[]): unknown };
    loss(batch: unknown, training: boolean): tf.Scalar;
  };
  params: { list(): tf.Variable[]; initialise(): void };
}

async function main(): Promise<void> {
  configureKernels(loadKernelSettings());
  const backend = await selectBackend(flag('backend', 'cpu')!);
  const dims = flag('dims', 'paper')!;
  const steps = Number(flag('steps', '5'));
  const data = ettSplits(undefined, 'OT', LOOKBACK);
  const config = { lookback: LOOKBACK, horizon: HORIZON, batchSize: BATCH, ...DIMS[dims] };
  const model = forecasterRegistry.create('spacetime', config) as SpaceTimeForecaster;
  console.log(`backend ${backend.details}; SpaceTime ${dims} ${JSON.stringify(config)}; load ${load()}`);

  const access = model as unknown as PlanAccess;
  access.params.initialise();
  const windows = new WindowSet([[data.train]], LOOKBACK, HORIZON);
  const plan = access.trainingPlan(windows, null, detachedContext());
  const params = access.params.list();
  const step = (i: number) => {
    const rows = Array.from({ length: BATCH }, (_, r) => (i * BATCH + r) % windows.size);
    const batch = plan.train.batch(rows);
    const { value, grads } = tf.variableGrads(() => plan.loss(batch, true), params);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads), ...Object.values(batch as Record<string, tf.Tensor>)]);
  };
  step(0); // warm-up: plans, JIT
  const wall0 = Date.now();
  const cpu0 = cpuSeconds();
  for (let i = 1; i <= steps; i++) step(i);
  const wall = (Date.now() - wall0) / 1000 / steps;
  const cpu = (cpuSeconds() - cpu0) / steps;
  const perEpoch = Math.ceil(windows.size / BATCH);
  console.log(
    `step (loss + gradients, batch ${BATCH}): ${wall.toFixed(3)} s wall, ${cpu.toFixed(3)} s CPU; ` +
      `x ${perEpoch} steps = ${(wall * perEpoch).toFixed(0)} s/epoch (optimizer and validation not included); ` +
      `load ${load()}; peak RSS ${peakMiB()} MiB`,
  );

  if (flag('profile') === 'true') {
    const info = await tf.profile(() => step(steps + 1));
    const by = new Map<string, number>();
    for (const k of info.kernels) by.set(k.name, (by.get(k.name) ?? 0) + (k.kernelTimeMs as number));
    const total = [...by.values()].reduce((a, b) => a + b, 0);
    console.log(`kernels (${info.kernels.length} calls, ${total.toFixed(0)} ms):`);
    for (const [name, ms] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`  ${name.padEnd(28)} ${ms.toFixed(1).padStart(8)} ms`);
  }

  if (flag('epoch') === 'true') {
    const fresh = forecasterRegistry.create('spacetime', { ...config, epochs: 1, patience: 0 });
    const t0 = Date.now();
    const c0 = cpuSeconds();
    const report = await fresh.fit([[data.train]], [[data.valid]], {
      ...detachedContext(),
      onEvent: (e) => {
        if (e.type === 'step' && e.step % 25 === 0)
          console.log(`  step ${e.step}/${e.steps} loss ${e.loss.toFixed(4)} load ${load()}`);
      },
    });
    console.log(
      `one epoch through fit (${report.windows} windows, validation included): ${((Date.now() - t0) / 1000).toFixed(0)} s wall, ` +
        `${(cpuSeconds() - c0).toFixed(0)} s CPU; load ${load()}; peak RSS ${peakMiB()} MiB`,
    );
    fresh.dispose();
  }
  model.dispose();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
