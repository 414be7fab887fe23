import { ValidationFailed } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import type { Adapter, AdapterSetup, ChannelScale } from '../adapter';
import { adapterRegistry } from '../registry';
import '../methods';
import { linearFrozen, testStream } from './testing/linear-frozen';

const L = 8;
const H = 4;
const V = 3;
const scale: ChannelScale = { mean: [0.5, 10, 19], std: [2, 2.5, 1.5] };
const model = linearFrozen(L, H, V, scale);
const setup: AdapterSetup = { frozen: model.frozen, horizon: H, scale, seed: 7 };
const stream = testStream(V, 120);
const part = (from: number, to: number) => stream.map((c) => c.slice(from, to));
const CONTEXT = 20;

const create = (options: Record<string, unknown> = {}): Adapter => {
  const a = adapterRegistry.create('onenet', options, setup);
  a.start(part(0, CONTEXT));
  return a;
};
const variants: Array<Record<string, unknown>> = [
  {},
  { combine: 'learned' },
  { branch: 'time' },
  { branch: 'variable' },
];

function errorOf(f: () => unknown): ValidationFailed {
  try {
    f();
  } catch (e) {
    return e as ValidationFailed;
  }
  throw new Error('expected a throw');
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe('onenet adapter', () => {
  it.each(variants)('%j forecasts exactly the frozen model before any update', (options) => {
    const a = create({ ...options, lr: 0.05 });
    const got = a.forecast();
    const want = model.expected(part(0, CONTEXT));
    for (let v = 0; v < V; v++) for (let h = 0; h < H; h++) expect(got[v][h]).toBeCloseTo(want[v][h], 4);
    a.dispose();
  });

  it('counts its parameters in closed form', () => {
    const d = 32;
    const time = L * H + H;
    const variable = L * d + d + V * V + d * H + H;
    const mlp = 3 * H * 32 + 32 + 32 * 32 + 32 + 32 + 1;
    const count = (o: Record<string, unknown>) => {
      const a = create(o);
      const n = a.stats().parameterCount;
      a.dispose();
      return n;
    };
    expect(count({ branch: 'time' })).toBe(time);
    expect(count({ branch: 'variable' })).toBe(variable);
    expect(count({})).toBe(time + variable + 2 * V);
    expect(count({ combine: 'learned' })).toBe(time + variable + V + mlp);
  });

  it("takes Adam's first step on the hand-computed gradient of the time branch's MSE", () => {
    const lr = 0.01;
    const a = create({ branch: 'time', lr });
    const updates = a.observe(part(CONTEXT, CONTEXT + 1), CONTEXT);
    // the window completed by time 20: origin 17, input [9, 17), labels [17, 20]
    expect(updates).toEqual([
      { kind: 'online', origins: [17, 17], labels: [17, 20], loss: expect.any(Number) },
    ]);
    const z = (v: number, t: number) => (stream[v][t] - scale.mean[v]) / scale.std[v];
    const f = model
      .expected(part(17 - L, 17))
      .map((ch, v) => ch.map((y) => (y - scale.mean[v]) / scale.std[v]));
    const gW: number[] = [];
    const gb: number[] = [];
    let loss = 0;
    for (let h = 0; h < H; h++) {
      let sb = 0;
      for (let v = 0; v < V; v++) {
        sb += f[v][h] - z(v, 17 + h);
        loss += (f[v][h] - z(v, 17 + h)) ** 2 / (H * V);
      }
      gb.push((2 / (H * V)) * sb);
    }
    for (let i = 0; i < L; i++)
      for (let h = 0; h < H; h++) {
        let s = 0;
        // the branch sees the window relative to its last value (time 16)
        for (let v = 0; v < V; v++) s += (z(v, 17 - L + i) - z(v, 16)) * (f[v][h] - z(v, 17 + h));
        gW.push((2 / (H * V)) * s);
      }
    expect(updates[0].loss).toBeCloseTo(loss, 5);
    // Adam's first step from zero moments: -lr * g / (|g| + eps)
    const step = (g: number) => (-lr * g) / (Math.abs(g) + 1e-8);
    const p = a.snapshot().params;
    expect(p['time.weight'].shape).toEqual([L, H]);
    p['time.weight'].values.forEach((w, k) => expect(w).toBeCloseTo(step(gW[k]), 6));
    p['time.bias'].values.forEach((b, h) => expect(b).toBeCloseTo(step(gb[h]), 6));
    a.dispose();
  });

  it.each(variants)('%j never reads a label past the latest observation (H = 4)', (options) => {
    const a = create(options);
    const batches = [1, 3, 1, 5, 2, 1, 7, 1];
    let at = CONTEXT;
    const ends: number[] = [];
    for (const n of batches) {
      const latest = at + n - 1;
      const updates = a.observe(part(at, at + n), at);
      expect(a.next).toBe(at + n);
      for (const u of updates) {
        expect(u.kind).toBe('online');
        expect(u.labels[1]).toBeLessThan(a.next);
        expect(u.labels[1]).toBeLessThanOrEqual(latest);
        expect(u.origins[0]).toBe(u.origins[1]);
        expect(u.labels[0]).toBe(u.origins[1]);
        expect(u.origins[1] + H - 1).toBe(u.labels[1]);
        expect(u.origins[0] - L).toBeGreaterThanOrEqual(0);
        expect(Number.isFinite(u.loss)).toBe(true);
        ends.push(u.labels[1]);
      }
      at += n;
    }
    // each new time completes exactly one window, in order; none was used before its last label
    expect(ends).toEqual(Array.from({ length: at - CONTEXT }, (_, k) => CONTEXT + k));
    expect(a.stats().steps).toBe(ends.length);
    a.dispose();
  });

  it('a batch of observations adapts exactly as the same values one at a time', () => {
    const one = create({ lr: 0.02 });
    const many = create({ lr: 0.02 });
    for (let t = CONTEXT; t < CONTEXT + 12; t++) one.observe(part(t, t + 1), t);
    many.observe(part(CONTEXT, CONTEXT + 12), CONTEXT);
    expect(many.forecast()).toEqual(one.forecast());
    expect(many.snapshot()).toEqual(one.snapshot());
    one.dispose();
    many.dispose();
  });

  it.each(variants)('%j snapshot round trip continues bit-identically', (options) => {
    const a = create({ ...options, lr: 0.02, lrWeight: 0.05, lrBias: 0.05 });
    a.observe(part(CONTEXT, CONTEXT + 25), CONTEXT);
    const json = JSON.parse(JSON.stringify(a.snapshot()));
    const b = adapterRegistry.restore(json, model.frozen);
    expect(b.stats()).toEqual(a.stats());
    expect(b.forecast()).toEqual(a.forecast());
    for (let t = CONTEXT + 25; t < CONTEXT + 40; t += 3) {
      expect(b.observe(part(t, t + 3), t)).toEqual(a.observe(part(t, t + 3), t));
      expect(b.forecast()).toEqual(a.forecast());
    }
    expect(b.snapshot()).toEqual(a.snapshot());
    a.dispose();
    b.dispose();
  });

  it.each(variants)('%j reset goes back to the initial state and keeps the stream', (options) => {
    const a = create({ ...options, lr: 0.02, lrWeight: 0.05, lrBias: 0.05 });
    const fresh = create({ ...options, lr: 0.02, lrWeight: 0.05, lrBias: 0.05 });
    a.observe(part(CONTEXT, CONTEXT + 25), CONTEXT);
    a.reset();
    const s = a.snapshot();
    const f = fresh.snapshot();
    expect(s.params).toEqual(f.params);
    expect(s.extra).toEqual(f.extra);
    expect(a.stats()).toMatchObject({ next: CONTEXT + 25, steps: 0, recentLoss: null });
    const want = model.expected(part(0, CONTEXT + 25));
    a.forecast().forEach((ch, v) => ch.forEach((y, h) => expect(y).toBeCloseTo(want[v][h], 4)));
    expect(a.observe(part(CONTEXT + 25, CONTEXT + 26), CONTEXT + 25)).toHaveLength(1);
    a.dispose();
    fresh.dispose();
  });

  it('the learned combination moves its weights and bias, the EG one its weights', () => {
    for (const combine of ['eg', 'learned']) {
      const a = create({ combine, lr: 0.02, lrWeight: 0.05, lrBias: 0.05 });
      a.observe(part(CONTEXT, CONTEXT + 30), CONTEXT);
      const w = (a as unknown as { combinationWeights(): number[] }).combinationWeights();
      expect(w.some((x) => Math.abs(x - 0.5) > 1e-4)).toBe(true);
      expect(w.every((x) => x > 0 && x < 1)).toBe(true);
      a.dispose();
    }
  });

  it('refuses a gap, a repeat and a non-finite value, naming the field, and changes nothing', () => {
    const a = create({ combine: 'learned' });
    a.observe(part(CONTEXT, CONTEXT + 6), CONTEXT);
    const before = JSON.stringify(a.snapshot());
    const forecast = a.forecast();
    const gap = errorOf(() => a.observe(part(CONTEXT + 7, CONTEXT + 9), CONTEXT + 7));
    expect(gap).toBeInstanceOf(ValidationFailed);
    expect(gap.details[0].field).toBe('at');
    const repeat = errorOf(() => a.observe(part(CONTEXT + 5, CONTEXT + 8), CONTEXT + 5));
    expect(repeat.details[0].field).toBe('at');
    const bad = part(CONTEXT + 6, CONTEXT + 9);
    bad[1][2] = Number.NaN;
    expect(errorOf(() => a.observe(bad, CONTEXT + 6)).details[0].field).toBe('values[1][2]');
    expect(
      errorOf(() => a.observe(part(CONTEXT + 6, CONTEXT + 9).slice(1), CONTEXT + 6)).details[0].field,
    ).toBe('values');
    expect(JSON.stringify(a.snapshot())).toBe(before);
    expect(a.forecast()).toEqual(forecast);
    expect(errorOf(() => a.start(part(0, CONTEXT))).details[0].field).toBe('context');
    a.dispose();
  });

  it('refuses bad options and setups naming the field', () => {
    const field = (options: unknown, s: AdapterSetup = setup) =>
      errorOf(() => adapterRegistry.create('onenet', options, s)).details.map((d) => d.field);
    expect(field({ eta: 0 })).toEqual(['options.eta']);
    expect(field({ lr: 2 })).toEqual(['options.lr']);
    expect(field({ branch: 'space' })).toEqual(['options.branch']);
    expect(field({ combine: 'average' })).toEqual(['options.combine']);
    expect(field({ width: 0.5 })).toEqual(['options.width']);
    expect(field({ momentum: 0.9 })).toEqual(['options.momentum']);
    expect(field({}, { ...setup, horizon: H + 1 })).toEqual(['horizon']);
    expect(field({}, { ...setup, scale: { mean: [0, 0, 0], std: [1, 0, 1] } })).toEqual(['scale']);
    const short = adapterRegistry.create('onenet', {}, setup);
    expect(errorOf(() => short.start(part(0, L - 1))).details[0].field).toBe('context');
    expect(errorOf(() => short.observe(part(0, 1), 0)).details[0].field).toBe('at');
    short.dispose();
  });
});
