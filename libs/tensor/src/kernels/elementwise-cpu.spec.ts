import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { randomArray, seededRandom } from '../testing/oracles';
import { registerCpuElementwiseKernels, restoreCpuElementwiseKernels } from './elementwise-cpu';
import { disableCpuBufferPool, enableCpuBufferPool } from './elementwise-pool';
import { exactUnary } from './elementwise-unary';
import { nativeKernels, nativeKernelsBuilt, useNativeKernels } from './native-kernels';
import { registerCpuStridedKernels, restoreCpuStridedKernels } from './strided-cpu';

/**
 * The elementwise kernels against tfjs-backend-cpu's own (every override of the cpu
 * backend taken off: stock tfjs, an independent implementation) and against direct
 * float64 definitions: same values bit for bit, shapes and dtypes, on the fast paths and
 * on the calls they hand back. The native Tanh and Sigmoid are held to an ulp bound
 * instead (their own describe block); everything else runs with the native kernels off.
 */
function stock<T>(f: () => T): T {
  restoreCpuElementwiseKernels();
  restoreCpuStridedKernels();
  try {
    return f();
  } finally {
    registerCpuStridedKernels();
    registerCpuElementwiseKernels();
  }
}

function expectSame(ours: tf.Tensor, theirs: tf.Tensor): void {
  expect(ours.shape).toEqual(theirs.shape);
  expect(ours.dtype).toBe(theirs.dtype);
  // Object.is per element: NaN equals NaN, and -0 differs from 0
  const a = Array.from(ours.dataSync());
  const b = Array.from(theirs.dataSync());
  expect(a.length).toBe(b.length);
  const bad = a.findIndex((v, i) => !Object.is(v, b[i]));
  expect(bad === -1 ? null : { at: bad, ours: a[bad], theirs: b[bad] }).toBeNull();
}

/** f on our kernels and on stock tfjs: identical results. */
function expectStock(f: () => tf.Tensor | tf.Tensor[]): void {
  const ours = f();
  const theirs = stock(f);
  const [o, t] = [ours, theirs].map((r) => (Array.isArray(r) ? r : [r]));
  expect(o.length).toBe(t.length);
  o.forEach((x, i) => expectSame(x, t[i]));
  tf.dispose([...o, ...t]);
}

const rand = seededRandom(20);
const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const randomTensor = (shape: number[], scale = 3) =>
  tf.tensor(
    randomArray(size(shape), rand).map((v) => v * scale),
    shape,
  );

/** Row-major multi-index of flat position i in shape. */
function unravel(i: number, shape: number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** numpy broadcasting by definition: out[idx] = op(a[idx mod a's dims], b[...]) in float64, rounded to float32. */
function broadcastOracle(op: (a: number, b: number) => number, a: tf.Tensor, b: tf.Tensor): Float32Array {
  const shape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const av = a.dataSync();
  const bv = b.dataSync();
  const at = (v: ArrayLike<number>, vs: number[], idx: number[]) => {
    let flat = 0;
    const pad = idx.length - vs.length;
    vs.forEach((n, d) => (flat = flat * n + (n === 1 ? 0 : idx[d + pad])));
    return v[flat];
  };
  return Float32Array.from({ length: size(shape) }, (_, i) => {
    const idx = unravel(i, shape);
    return op(at(av, a.shape, idx), at(bv, b.shape, idx));
  });
}

beforeAll(async () => {
  await selectBackend('cpu');
  useNativeKernels(false);
});
afterAll(() => {
  useNativeKernels(true);
  registerCpuStridedKernels();
  registerCpuElementwiseKernels();
});

describe('binary arithmetic', () => {
  // fast paths: same shape, scalar either side (any rank of ones), row vector, column,
  // outer product, [B, C, L] x [C, 1]; handed back: rows shorter than 8, empty, int32
  const pairs: Array<[number[], number[]]> = [
    [
      [4, 37],
      [4, 37],
    ],
    [[3, 5, 7], []],
    [[], [3, 5, 7]],
    [
      [1, 1, 1],
      [6, 9, 10],
    ],
    [[50, 64], [64]],
    [
      [64, 1],
      [5, 64, 40],
    ],
    [
      [5, 64, 40],
      [64, 1],
    ],
    [
      [64, 1],
      [1, 33],
    ],
    [
      [2, 3, 4, 16],
      [3, 1, 16],
    ],
    [
      [50, 3],
      [50, 1],
    ],
    [
      [2, 1, 4, 1],
      [1, 3, 1, 6],
    ],
    [[0, 9], [9]],
    [[7], [7]],
  ];
  const ops: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, (a: number, b: number) => number]> = [
    ['add', tf.add, (a, b) => a + b],
    ['sub', tf.sub, (a, b) => a - b],
    ['mul', tf.mul, (a, b) => a * b],
    ['div', tf.div, (a, b) => a / b],
    ['squaredDifference', tf.squaredDifference, (a, b) => (a - b) * (a - b)],
    ['maximum', tf.maximum, Math.max],
    ['minimum', tf.minimum, Math.min],
  ];
  it.each(ops)(
    '%s equals the float64 definition rounded once, and stock tfjs, on every shape pair',
    (_, op, def) => {
      for (const [sa, sb] of pairs) {
        const a = randomTensor(sa);
        const b = randomTensor(sb);
        const ours = op(a, b);
        expect(Array.from(ours.dataSync())).toEqual(Array.from(broadcastOracle(def, a, b)));
        expectStock(() => op(a, b));
        tf.dispose([a, b, ours]);
      }
    },
  );

  it('int32 operands keep their dtype and values (handed to the strided kernel)', () => {
    const a = tf.tensor(
      [
        [1, -2, 3],
        [4, 5, -6],
      ],
      [2, 3],
      'int32',
    );
    const b = tf.tensor([7, 8, 9], [3], 'int32');
    expectStock(() => [tf.add(a, b), tf.mul(a, b), tf.sub(a, b)]);
    expect(Array.from(tf.mul(a, b).dataSync())).toEqual([7, -16, 27, 28, 40, -54]);
  });

  it('Pow by a scalar 2 or 3 equals Math.pow rounded to float32, special values included', () => {
    const specials = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-20, 3.4e38, -3.4e38, 1e13, -2.5];
    const n = 400_000;
    const x = new Float32Array(n + specials.length);
    // magnitudes over the whole float32 range, both signs
    for (let i = 0; i < n; i++) x[i] = (rand() < 0.5 ? -1 : 1) * Math.exp((rand() - 0.5) * 170);
    x.set(specials, n);
    const t = tf.tensor(x);
    for (const e of [2, 3]) {
      const want = Float32Array.from(x, (v) => Math.pow(v, e));
      const got = tf.pow(t, tf.scalar(e)).dataSync();
      const bad = Array.from(got).findIndex((v, i) => !Object.is(v, want[i]));
      expect(bad === -1 ? null : { x: x[bad], e, got: got[bad], want: want[bad] }).toBeNull();
    }
    expectStock(() => [tf.pow(t.slice(0, 1000), tf.scalar(2.5)), tf.pow(t.slice(0, 1000), tf.scalar(3))]);
    t.dispose();
  });
});

describe('unary functions (exact loops)', () => {
  const defs: Record<string, (x: number) => number> = {
    Tanh: Math.tanh,
    Sigmoid: (x) => 1 / (1 + Math.exp(-x)),
    Exp: Math.exp,
    Log: Math.log,
    Sqrt: Math.sqrt,
    Rsqrt: (x) => 1 / Math.sqrt(x),
    Square: (x) => x * x,
    Abs: Math.abs,
    Relu: (x) => Math.max(0, x),
    Sin: Math.sin,
    Cos: Math.cos,
    Reciprocal: (x) => 1 / x,
  };
  const ops: Array<[string, (x: tf.Tensor) => tf.Tensor]> = [
    ['Tanh', tf.tanh],
    ['Sigmoid', tf.sigmoid],
    ['Exp', tf.exp],
    ['Log', tf.log],
    ['Sqrt', tf.sqrt],
    ['Rsqrt', tf.rsqrt],
    ['Square', tf.square],
    ['Abs', tf.abs],
    ['Relu', tf.relu],
    ['Sin', tf.sin],
    ['Cos', tf.cos],
    ['Reciprocal', tf.reciprocal],
    ['Softplus', tf.softplus],
    ['Erf', tf.erf],
  ];
  const specials = [0, -0, NaN, Infinity, -Infinity, 20, -20, 100, -100, 1e-30];
  it.each(ops)('%s equals stock tfjs bit for bit, special values and odd sizes included', (name, op) => {
    for (const shape of [[3, 41], [5], [0, 4], []]) {
      const x = randomTensor(shape, 6);
      expectStock(() => op(x));
      if (defs[name] && x.size) {
        const v = x.dataSync();
        expect(Array.from(op(x).dataSync())).toEqual(Array.from(Float32Array.from(v, defs[name])));
      }
      x.dispose();
    }
    const s = tf.tensor(specials);
    expectStock(() => op(s));
    s.dispose();
  });

  it('int32 inputs go to the stock kernels', () => {
    const x = tf.tensor([1, -2, 3, 9], [4], 'int32');
    expectStock(() => [tf.square(x), tf.abs(x), tf.relu(x), tf.exp(x)]);
  });
});

describe('native Tanh and Sigmoid', () => {
  const ulp = (v: number) => {
    const f = new Float32Array([Math.abs(v)]);
    new Uint32Array(f.buffer)[0]++;
    return f[0] - Math.abs(Math.fround(v));
  };
  (nativeKernelsBuilt() ? it : it.skip)(
    'stay within 4 float32 ulps of the double formulas; NaN, infinities and tiny sigmoids exact',
    () => {
      useNativeKernels(true);
      try {
        expect(nativeKernels()).not.toBeNull();
        const n = 200_000;
        const x = new Float32Array(n);
        for (let i = 0; i < n; i++) x[i] = (rand() < 0.5 ? -1 : 1) * Math.exp((rand() - 0.7) * 12);
        x.set([NaN, Infinity, -Infinity, 0, -0, -85, -100, -1e4, 100, 1e-30], 0);
        const t = tf.tensor(x);
        for (const [name, op] of [
          ['Tanh', tf.tanh],
          ['Sigmoid', tf.sigmoid],
        ] as const) {
          const exact = exactUnary(name, x);
          const got = op(t).dataSync();
          let worst = 0;
          for (let i = 0; i < n; i++) {
            if (Number.isNaN(exact[i]) || !Number.isFinite(x[i]) || x[i] < -80) {
              expect(Object.is(got[i], exact[i])).toBe(true);
              continue;
            }
            worst = Math.max(worst, Math.abs(got[i] - exact[i]) / ulp(exact[i]));
          }
          expect(worst).toBeLessThanOrEqual(4);
        }
        t.dispose();
      } finally {
        useNativeKernels(false);
      }
    },
  );
});

describe('stack, unstack, concat, split', () => {
  it('match stock tfjs on every axis, negative axes, int32 and bool', () => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const x = tf.cast(randomTensor([3, 20, 17], 4), dtype);
      for (const axis of [0, 1, 2, -1]) {
        expectStock(() => tf.unstack(x, axis));
        expectStock(() => tf.stack(tf.unstack(x, 1), axis));
        const ax = (axis + 3) % 3;
        const part = x.slice(
          [0, 0, 0],
          x.shape.map((d, i) => (i === ax ? 2 : d)),
        );
        expectStock(() => tf.concat([x, part, x], axis));
        expectStock(() => tf.split(x, [1, 2, x.shape[ax] - 3], axis));
      }
      x.dispose();
    }
  });

  it('unstack then stack is the identity, and concat of splits gives the input back (by value)', () => {
    const x = randomTensor([4, 96, 16]);
    expect(Array.from(tf.stack(tf.unstack(x, 1), 1).dataSync())).toEqual(Array.from(x.dataSync()));
    const parts = tf.split(x, 4, 2);
    expect(parts[1].shape).toEqual([4, 96, 4]);
    // element [b, t, 4 + j] of x is element [b, t, j] of the second part
    const xv = x.dataSync();
    const pv = parts[1].dataSync();
    for (let i = 0; i < pv.length; i++) {
      const [b, t, j] = unravel(i, [4, 96, 4]);
      expect(pv[i]).toBe(xv[(b * 96 + t) * 16 + 4 + j]);
    }
    expect(Array.from(tf.concat(parts, 2).dataSync())).toEqual(Array.from(xv));
  });

  it('empty pieces and complex tensors go to the stock kernels', () => {
    const e = tf.zeros([0, 3]);
    const a = randomTensor([2, 3]);
    expectStock(() => [tf.concat([e, a], 0), tf.concat([a, e, a], 0)]);
    const c = tf.complex(randomTensor([2, 3]), randomTensor([2, 3]));
    expectStock(() => tf.real(tf.concat([c, c], 1)));
    expectStock(() => tf.imag(tf.stack([c, c], 0)));
  });
});

describe('Sum over neighbouring axes', () => {
  it('equals the float64 running sum rounded once, and stock tfjs, for every axis block and keepDims', () => {
    const shape = [3, 5, 7, 4];
    const x = randomTensor(shape);
    const v = x.dataSync();
    const blocks = [[0], [1], [3], [0, 1], [1, 2], [2, 3], [0, 1, 2, 3], [-1], [1, 3], [0, 2]];
    for (const axes of blocks) {
      for (const keepDims of [false, true]) {
        const ours = tf.sum(x, axes, keepDims);
        // the definition: for each output cell, the reduced elements added in row-major order
        const norm = axes.map((a) => (a + 4) % 4);
        const kept = shape.map((_, d) => d).filter((d) => !norm.includes(d));
        const want = new Float64Array(size(kept.map((d) => shape[d])));
        for (let i = 0; i < v.length; i++) {
          const idx = unravel(i, shape);
          const o = kept.reduce((acc, d) => acc * shape[d] + idx[d], 0);
          want[o] += v[i];
        }
        expect(Array.from(ours.dataSync())).toEqual(Array.from(Float32Array.from(want)));
        expectStock(() => tf.sum(x, axes, keepDims));
      }
    }
    expectStock(() => [tf.sum(tf.cast(x, 'int32'), 1), tf.sum(tf.zeros([0, 3]), 0), tf.sum(x)]);
  });
});

describe('Mean', () => {
  it('is the float64 sum divided by the count, rounded once (what the strided Mean gave), on any axes', () => {
    const shape = [3, 5, 7, 4];
    const x = randomTensor(shape);
    const v = x.dataSync();
    for (const axes of [[0], [1, 2], [0, 2], [0, 1, 2, 3], [-1]]) {
      const norm = axes.map((a) => (a + 4) % 4);
      const kept = shape.map((_, d) => d).filter((d) => !norm.includes(d));
      const n = norm.reduce((p, d) => p * shape[d], 1);
      const want = new Float64Array(size(kept.map((d) => shape[d])));
      for (let i = 0; i < v.length; i++) {
        const idx = unravel(i, shape);
        want[kept.reduce((acc, d) => acc * shape[d] + idx[d], 0)] += v[i];
      }
      const ours = tf.mean(x, axes, true);
      expect(Array.from(ours.dataSync())).toEqual(Array.from(Float32Array.from(want, (s) => s / n)));
      restoreCpuElementwiseKernels();
      const strided = tf.mean(x, axes, true);
      registerCpuElementwiseKernels();
      expectSame(ours, strided);
    }
  });
});

describe('Transpose', () => {
  const perms = (r: number): number[][] =>
    r === 1
      ? [[0]]
      : perms(r - 1).flatMap((p) =>
          Array.from({ length: r }, (_, k) => [...p.slice(0, k), r - 1, ...p.slice(k)]),
        );
  it('moves every element where the definition says, for every permutation of ranks 2-4', () => {
    for (const shape of [
      [37, 70],
      [3, 40, 33],
      [2, 3, 5, 7],
    ]) {
      const x = randomTensor(shape);
      const v = x.dataSync();
      for (const perm of perms(shape.length)) {
        const ours = tf.transpose(x, perm);
        const outShape = perm.map((d) => shape[d]);
        const got = ours.dataSync();
        for (let i = 0; i < got.length; i++) {
          const idx = unravel(i, outShape);
          const src = new Array<number>(shape.length);
          perm.forEach((d, k) => (src[d] = idx[k]));
          expect(got[i]).toBe(v[src.reduce((acc, s, d) => acc * shape[d] + s, 0)]);
        }
        expectStock(() => tf.transpose(x, perm));
        ours.dispose();
      }
      x.dispose();
    }
    const i = tf.tensor(
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      [2, 3],
      'int32',
    );
    expectStock(() => [tf.transpose(i), tf.transpose(tf.cast(i, 'bool'))]);
  });
});

describe('gradients through the fused kernels', () => {
  const c = Math.sqrt(2 / Math.PI);
  const gelu = (x: tf.Tensor) =>
    tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(tf.add(x, tf.mul(tf.pow(x, 3), 0.044715)), c))));

  it('GELU (tanh form), a gated cell and broadcasting products: gradients equal stock tfjs bit for bit', () => {
    const x = randomTensor([4, 8, 40]);
    const w = randomTensor([8, 1]);
    const h = randomTensor([16, 64]);
    const g = randomTensor([16, 256]);
    const geluLoss = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(gelu(tf.mul(xx, ww)), xx)));
    const cell = tf.grads((gg: tf.Tensor, hh: tf.Tensor) => {
      const [i, f, gc, o] = tf.split(gg, 4, 1);
      const c1 = tf.add(tf.mul(tf.sigmoid(f), hh), tf.mul(tf.sigmoid(i), tf.tanh(gc)));
      return tf.sum(tf.square(tf.mul(tf.sigmoid(o), tf.tanh(c1))));
    });
    const powers = tf.grads((xx: tf.Tensor) => tf.sum(tf.add(tf.pow(xx, 2.5), tf.pow(xx, 4))));
    expectStock(() => geluLoss([x, w]));
    expectStock(() => cell([g, h]));
    expectStock(() => powers([tf.abs(x)]));
  });

  it('an MSE loss, means over some axes and products summed over broadcast axes: gradients equal stock tfjs', () => {
    const out = randomTensor([4, 30, 16]);
    const target = randomTensor([4, 30, 16]);
    const d = randomTensor([30, 1]);
    const short = randomTensor([50, 1]);
    const mse = tf.grads((o: tf.Tensor) => tf.mean(tf.square(tf.sub(o, target))));
    const partial = tf.grads((o: tf.Tensor) =>
      tf.sum(tf.mul(tf.mean(tf.square(o), [0, 2]), tf.range(0, 30))),
    );
    const products = tf.grads((dd: tf.Tensor, o: tf.Tensor, s: tf.Tensor) =>
      tf.add(tf.sum(tf.mul(dd, o)), tf.sum(tf.mul(s, tf.reshape(o, [64, 30]).slice([0, 0], [50, 3])))),
    );
    expectStock(() => mse([out]));
    expectStock(() => partial([out]));
    expectStock(() => products([d, out, short]));
    // d/dD sum(D * u) = sum of u over the broadcast axes, in float64 within float32 sums' rounding
    const [dd] = products([d, out, short]);
    const u = out.dataSync();
    for (let c = 0; c < 30; c++) {
      let s = 0;
      for (let b = 0; b < 4; b++) for (let l = 0; l < 16; l++) s += u[(b * 30 + c) * 16 + l];
      expect(Math.abs(dd.dataSync()[c] - s)).toBeLessThan(1e-5);
    }
    // the mean's gradient is 2 (o - t) / n
    const [g] = mse([out]);
    const t = target.dataSync();
    g.dataSync().forEach((v, i) => expect(Math.abs(v - (2 * (u[i] - t[i])) / u.length)).toBeLessThan(1e-8));
  });

  it('the sigmoid and tanh gradients are y (1 - y) and 1 - y^2 (float64 within float32 rounding)', () => {
    const x = randomTensor([3, 50], 4);
    const [ds] = tf.grads((t: tf.Tensor) => tf.sum(tf.sigmoid(t)))([x]);
    const [dt] = tf.grads((t: tf.Tensor) => tf.sum(tf.tanh(t)))([x]);
    const v = x.dataSync();
    v.forEach((xi, i) => {
      const s = 1 / (1 + Math.exp(-xi));
      expect(Math.abs(ds.dataSync()[i] - s * (1 - s))).toBeLessThan(3e-7);
      expect(Math.abs(dt.dataSync()[i] - (1 - Math.tanh(xi) ** 2))).toBeLessThan(3e-7);
    });
  });

  it('second derivatives go through tfjs ops (the fused kernels have no gradients of their own)', () => {
    const x = randomTensor([20], 2);
    const d2 = (f: (t: tf.Tensor) => tf.Tensor) => tf.grad(tf.grad(f))(x);
    expectStock(() => [
      d2((t) => tf.mul(tf.mul(t, t), tf.sigmoid(t))),
      d2((t) => tf.mul(tf.pow(t, 3), tf.sigmoid(t))),
      d2((t) => tf.mul(tf.mul(t, t), t)),
    ]);
    // d2/dx2 x^3 = 6 x
    const got = d2((t) => tf.mul(tf.mul(t, t), t)).dataSync();
    x.dataSync().forEach((xi, i) => expect(Math.abs(got[i] - 6 * xi)).toBeLessThan(1e-5));
  });
});

describe('recycled output arrays', () => {
  const backend = () => tf.backend() as unknown as { data: { get(id: tf.DataId): { values: Float32Array } } };
  const valuesOf = (t: tf.Tensor) => backend().data.get(t.dataId).values;
  const big = [64, 300]; // above the pool's 4 KiB floor

  it('reuses a disposed result array for the next result of that length, with the right values', () => {
    const a = randomTensor(big);
    const b = randomTensor(big);
    const first = tf.mul(a, b);
    const array = valuesOf(first);
    first.dispose();
    const second = tf.add(a, b);
    expect(valuesOf(second)).toBe(array);
    const av = a.dataSync();
    const bv = b.dataSync();
    expect(Array.from(second.dataSync())).toEqual(Array.from(Float32Array.from(av, (x, i) => x + bv[i])));
    tf.dispose([a, b, second]);
  });

  it('never reuses an array that was read out, shared with a reshape, or stored as a view', () => {
    const a = randomTensor(big);
    const read = tf.mul(a, 2);
    const kept = read.dataSync();
    const copy = kept.slice();
    read.dispose();
    const shared = tf.mul(a, 3);
    const reshaped = shared.reshape([300, 64]);
    const sharedArray = valuesOf(shared);
    shared.dispose(); // the reshape still holds the data
    const viewed = tf.mul(a, 4);
    const viewedArray = valuesOf(viewed);
    const view = tf.engine().makeTensorFromTensorInfo(
      (
        tf.backend() as unknown as {
          makeTensorInfo(s: number[], d: string, v: Float32Array): tf.TensorInfo;
        }
      ).makeTensorInfo([10], 'float32', viewedArray.subarray(0, 10)),
    );
    const viewCopy = Array.from(view.dataSync());
    viewed.dispose();
    const later = Array.from({ length: 6 }, (_, k) => tf.add(a, k));
    for (const t of later) {
      expect(valuesOf(t)).not.toBe(kept);
      expect(valuesOf(t)).not.toBe(sharedArray);
      expect(valuesOf(t)).not.toBe(viewedArray);
    }
    expect(Array.from(kept)).toEqual(Array.from(copy));
    expect(Array.from(view.dataSync())).toEqual(viewCopy);
    const av = a.dataSync();
    expect(Array.from(reshaped.dataSync())).toEqual(Array.from(Float32Array.from(av, (x) => x * 3)));
    tf.dispose([a, reshaped, view, ...later]);
  });

  it('a training loop gives the same weights bit for bit with and without recycling', () => {
    const run = () => {
      const w = tf.variable(
        tf.tensor(
          Float32Array.from({ length: 16 * 64 }, (_, k) => 0.3 * Math.cos(k * 1.7)),
          [16, 64],
        ),
        true,
        `w${Math.random()}`,
      );
      const x = tf.tensor(
        Float32Array.from({ length: 8 * 16 * 200 }, (_, i) => Math.sin(i * 0.37)),
        [8, 16, 200],
      );
      for (let step = 0; step < 5; step++) {
        const { grads } = tf.variableGrads(() =>
          tf.tidy(() => {
            const h = tf.tanh(tf.transpose(x, [0, 2, 1]).reshape([1600, 16]).matMul(w));
            return tf.mean(tf.square(tf.sub(tf.mul(tf.sigmoid(h), h), 0.1)));
          }),
        );
        tf.tidy(() => w.assign(tf.sub(w, tf.mul(grads[w.name], 0.5))));
        tf.dispose(Object.values(grads));
      }
      const out = w.dataSync().slice();
      tf.dispose([w, x]);
      return out;
    };
    const pooled = run();
    disableCpuBufferPool();
    const plain = run();
    enableCpuBufferPool();
    expect(Array.from(pooled)).toEqual(Array.from(plain));
  });
});
