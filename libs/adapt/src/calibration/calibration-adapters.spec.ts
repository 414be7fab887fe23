import * as tf from '@tensorflow/tfjs';
import { ValidationFailed } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import type { AdaptationUpdate, Adapter } from '../adapter';
import { adapterRegistry } from '../registry';
import '../methods';
import { linearFrozen, randomMap, seasonalSeries } from './testing/fixtures';

beforeAll(async () => {
  await selectBackend('cpu');
});

const METHODS = ['tafas', 'petsa'] as const;
const L = 48;
const H = 24;
const scale1 = { mean: [0], std: [1] };

function frozenOutput(frozen: ReturnType<typeof linearFrozen>, ctx: number[][]): number[] {
  return tf.tidy(() => {
    const V = ctx.length;
    const x = tf.tensor3d(
      Array.from({ length: L * V }, (_, k) => ctx[k % V][ctx[0].length - L + Math.floor(k / V)]),
      [1, L, V],
    );
    return Array.from(frozen.forward(x, H).dataSync());
  });
}

/** Feeds `series` from `from` on, `chunk` values per observe; records every update with the stream's next after it. */
function feed(
  a: Adapter,
  series: number[][],
  from: number,
  to: number,
  chunk = 1,
): Array<AdaptationUpdate & { next: number }> {
  const out: Array<AdaptationUpdate & { next: number }> = [];
  for (let t = from; t < to; t += chunk) {
    const end = Math.min(to, t + chunk);
    for (const u of a.observe(
      series.map((c) => c.slice(t, end)),
      t,
    ))
      out.push({ ...u, next: a.next });
  }
  return out;
}

describe.each(METHODS)('%s adapter', (method) => {
  const V = 2;
  const series = seasonalSeries(400, V, 12, 0.1);
  const frozen = linearFrozen(randomMap(L, H, 3), L, H, V);
  const scale = { mean: [0.1, -0.2], std: [1.5, 0.8] };
  const make = (options: Record<string, unknown> = {}) =>
    adapterRegistry.create(method, options, { frozen, horizon: H, scale, seed: 7 });
  const ctx = series.map((c) => c.slice(0, 100));

  it('starts as the identity: the adapted forecast equals the frozen one', () => {
    const a = make();
    a.start(ctx);
    const got = a.forecast();
    const norm = ctx.map((c, k) => c.map((v) => (v - scale.mean[k]) / scale.std[k]));
    const want = frozenOutput(frozen, norm);
    for (let c = 0; c < V; c++)
      for (let j = 0; j < H; j++)
        expect(got[c][j]).toBeCloseTo(want[j * V + c] * scale.std[c] + scale.mean[c], 5);
    a.dispose();
  });

  it("never reads a label past the latest observation; the schedule is TAFAS's", () => {
    const a = make();
    a.start(ctx);
    const updates = feed(a, series, 100, 300);
    expect(updates.length).toBeGreaterThan(10);
    for (const u of updates) {
      expect(u.labels[1]).toBeLessThan(u.next);
      expect(Number.isFinite(u.loss)).toBe(true);
    }
    // the period of a 12-periodic series: chunks of 13 origins; partial steps every 13 values,
    // each on the chunk's first window and its 12 observed labels
    const partial = updates.filter((u) => u.kind === 'partial');
    expect(partial[0]).toMatchObject({ origins: [100, 100], labels: [100, 111], next: 112 });
    expect(partial[1]).toMatchObject({ origins: [113, 113], labels: [113, 124], next: 125 });
    // full steps: whole chunks, as soon as the chunk's last horizon has elapsed, one each
    const full = updates.filter((u) => u.kind === 'full');
    expect(full[0]).toMatchObject({ origins: [100, 112], labels: [100, 135] });
    expect(full[0].next).toBeGreaterThanOrEqual(136);
    for (let i = 1; i < full.length; i++) expect(full[i].origins[0]).toBe(full[i - 1].origins[1] + 1);
    expect(a.stats().steps).toBe(updates.length);
    a.dispose();
  });

  it('gives the same state whether values come one at a time or in blocks', () => {
    const one = make();
    const block = make();
    one.start(ctx);
    block.start(ctx);
    const u1 = feed(one, series, 100, 260, 1).map(({ next: _n, ...u }) => u);
    const u2 = feed(block, series, 100, 260, 37).map(({ next: _n, ...u }) => u);
    expect(u2).toEqual(u1);
    expect(block.forecast()).toEqual(one.forecast());
    one.dispose();
    block.dispose();
  });

  it('snapshot round-trips through JSON and continues bit-identically', () => {
    const a = make({ lr: 0.01 });
    a.start(ctx);
    feed(a, series, 100, 200);
    const snap = JSON.parse(JSON.stringify(a.snapshot()));
    const b = adapterRegistry.restore(snap, frozen);
    expect(b.forecast()).toEqual(a.forecast());
    expect(b.stats()).toEqual(a.stats());
    const ua = feed(a, series, 200, 320, 5);
    const ub = feed(b, series, 200, 320, 5);
    expect(ub).toEqual(ua);
    expect(b.forecast()).toEqual(a.forecast());
    a.dispose();
    b.dispose();
  });

  it('reset puts the modules back to the identity and keeps the stream', () => {
    const a = make({ lr: 0.01 });
    a.start(ctx);
    feed(a, series, 100, 200);
    const fresh = make();
    fresh.start(series.map((c) => c.slice(0, 200)));
    expect(a.forecast()).not.toEqual(fresh.forecast());
    a.reset();
    expect(a.next).toBe(200);
    expect(a.stats().steps).toBe(0);
    expect(a.forecast()).toEqual(fresh.forecast());
    a.dispose();
    fresh.dispose();
  });

  it('refuses a gap or a repeat with ValidationFailed on `at`, and nothing changes', () => {
    const a = make();
    a.start(ctx);
    feed(a, series, 100, 150);
    const before = JSON.stringify(a.snapshot());
    for (const at of [151, 149, 100]) {
      let err: unknown;
      try {
        a.observe(
          series.map((c) => c.slice(at, at + 1)),
          at,
        );
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationFailed);
      expect((err as ValidationFailed).details.map((d) => d.field)).toEqual(['at']);
    }
    expect(JSON.stringify(a.snapshot())).toBe(before);
    a.dispose();
  });
});

describe('options and parameter counts', () => {
  const frozen96 = linearFrozen(randomMap(96, 96, 1), 96, 96, 1);
  const fieldOf = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationFailed);
      return (e as ValidationFailed).details.map((d) => d.field);
    }
    throw new Error('expected a ValidationFailed');
  };
  const setup = { frozen: frozen96, horizon: 96, scale: scale1 };

  it('refuses bad options naming the field', () => {
    expect(fieldOf(() => adapterRegistry.create('petsa', { rank: 0 }, setup))).toEqual(['options.rank']);
    expect(fieldOf(() => adapterRegistry.create('tafas', { lr: -1 }, setup))).toEqual(['options.lr']);
    expect(fieldOf(() => adapterRegistry.create('petsa', { loss: 'mse' }, setup))).toEqual(['options.loss']);
    expect(fieldOf(() => adapterRegistry.create('tafas', { rank: 4 }, setup))).toEqual(['options.rank']);
    expect(fieldOf(() => adapterRegistry.create('nope', {}, setup))).toEqual(['method']);
  });

  it('counts parameters at L = H = 96 (V = 1 and 7) as the module formulas give', () => {
    const count = (method: string, V: number, horizon = 96) => {
      const f = linearFrozen(randomMap(96, horizon, 1), 96, horizon, V);
      const scale = { mean: new Array(V).fill(0), std: new Array(V).fill(1) };
      const a = adapterRegistry.create(method, {}, { frozen: f, horizon, scale });
      const n = a.stats().parameterCount;
      a.dispose();
      return n;
    };
    const tafas = (T: number, V: number) => T * T * V + T * V + V;
    const petsa = (T: number, V: number) => T * 16 + 16 * T * V + T * V + V;
    expect(count('tafas', 1)).toBe(2 * tafas(96, 1)); // 18626
    expect(count('petsa', 1)).toBe(2 * petsa(96, 1)); // 6338
    expect(count('tafas', 7)).toBe(2 * tafas(96, 7)); // 130382
    expect(count('petsa', 7)).toBe(2 * petsa(96, 7)); // 25934
    // at H = 720 the output module dominates and PETSA is > 10x smaller
    expect(count('tafas', 7, 720) / count('petsa', 7, 720)).toBeGreaterThan(10);
  });
});
