import { detachedContext } from '@seqcast/core';
import { Rng } from '@seqcast/numeric';
import { selectBackend } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { chunkStatisticsData } from './chunk-statistics.testing';
import { lstmLayer, LstmNetwork } from './lstm-network';
import { seq2seqRegistry } from './registry';

beforeAll(async () => {
  await selectBackend('cpu');
});

const KINDS = ['flat_s4d', 'lstm', 'causal_transformer'] as const;
const small = { width: 16, layers: 1, stateSize: 8, heads: 2, dropout: 0.1, batchSize: 8, seed: 2 };

/** The shared small config, less the fields a kind does not have (the schema refuses unknown ones). */
function configFor(kind: string, c: Record<string, unknown>): Record<string, unknown> {
  const { stateSize, heads, ...rest } = c;
  if (kind === 'flat_s4d') return { ...rest, stateSize };
  if (kind === 'causal_transformer') return { ...rest, heads };
  return rest;
}

describe('flat baselines', () => {
  const ratio = 4;
  const train = chunkStatisticsData(16, 8, ratio, 5);

  it.each(KINDS)(
    '%s trains (the loss falls) and is causal at the output rate (chunk means)',
    async (kind) => {
      const model = seq2seqRegistry.create(
        kind,
        configFor(kind, { ...small, ratio, epochs: 8, learningRate: 1e-2 }),
      );
      const report = await model.fit(train, undefined, detachedContext());
      expect(report.epochs.at(-1)!.loss).toBeLessThan(0.8 * report.epochs[0].loss);
      expectCausal(model.predict.bind(model), ratio);
      model.dispose();
    },
  );

  it.each(KINDS)("%s with inputRate 'full' (the reference's LowFreqPredictor) is causal", async (kind) => {
    const model = seq2seqRegistry.create(
      kind,
      configFor(kind, { ...small, ratio, epochs: 1, learningRate: 1e-2, inputRate: 'full' }),
    );
    await model.fit(
      { inputs: train.inputs.slice(0, 8), targets: train.targets.slice(0, 8) },
      undefined,
      detachedContext(),
    );
    expectCausal(model.predict.bind(model), ratio);
    model.dispose();
  });
});

/** Changing every input after chunk k leaves outputs 0..k unchanged and changes some later one. */
function expectCausal(predict: (x: Float32Array[][]) => Float32Array[][], ratio: number): void {
  const rng = new Rng(8);
  const chunks = 8;
  const x = Float32Array.from({ length: chunks * ratio }, () => rng.normal());
  const k = 3;
  const changed = x.slice();
  for (let i = (k + 1) * ratio; i < changed.length; i++) changed[i] = 3 * rng.normal();
  const [a, b] = predict([[x], [changed]]).map((seq) => seq[0]);
  for (let j = 0; j <= k; j++) expect(b[j]).toBeCloseTo(a[j], 5);
  expect(
    Math.max(...Array.from(a.subarray(k + 1)).map((v, i) => Math.abs(v - b[k + 1 + i]))),
  ).toBeGreaterThan(1e-4);
}

describe('LSTM layer', () => {
  it('equals the LSTM recurrence written out in float64 (torch gate order i, f, g, o)', () => {
    const [B, T, H] = [2, 7, 3];
    const net = new LstmNetwork(H, 1, { width: H, layers: 1, dropout: 0, seed: 9 });
    const w = net.layers[0];
    const rng = new Rng(10);
    const xv = Float32Array.from({ length: B * T * H }, () => rng.normal());
    const got = lstmLayer(tf.tensor3d(xv, [B, T, H]), w, H).dataSync();
    const Wi = w.wIn.dataSync();
    const Wh = w.wHidden.dataSync();
    const bias = w.bias.dataSync();
    const sig = (v: number) => 1 / (1 + Math.exp(-v));
    for (let b = 0; b < B; b++) {
      let h = new Float64Array(H);
      let c = new Float64Array(H);
      for (let t = 0; t < T; t++) {
        const g = new Float64Array(4 * H);
        for (let j = 0; j < 4 * H; j++) {
          let s = bias[j];
          for (let i = 0; i < H; i++)
            s += xv[(b * T + t) * H + i] * Wi[i * 4 * H + j] + h[i] * Wh[i * 4 * H + j];
          g[j] = s;
        }
        const nc = new Float64Array(H);
        const nh = new Float64Array(H);
        for (let u = 0; u < H; u++) {
          nc[u] = sig(g[H + u]) * c[u] + sig(g[u]) * Math.tanh(g[2 * H + u]);
          nh[u] = sig(g[3 * H + u]) * Math.tanh(nc[u]);
          expect(got[(b * T + t) * H + u]).toBeCloseTo(nh[u], 5);
        }
        h = nh;
        c = nc;
      }
    }
    net.params.dispose();
  });
});
