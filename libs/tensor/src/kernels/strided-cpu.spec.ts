import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../backend/select-backend';
import { maxAbsDiff, randomArray, seededRandom } from '../testing/oracles';
import { collapseDims, registerCpuStridedKernels, restoreCpuStridedKernels } from './strided-cpu';

/**
 * The strided kernels against tfjs-backend-cpu's own (per-element index arithmetic, an
 * independent implementation): same values, shapes and dtypes, bit for bit.
 */
function both<T extends tf.Tensor>(f: () => T): { ours: T; theirs: T } {
  registerCpuStridedKernels();
  const ours = f();
  restoreCpuStridedKernels();
  const theirs = f();
  registerCpuStridedKernels();
  return { ours, theirs };
}

function expectSame(ours: tf.Tensor, theirs: tf.Tensor): void {
  expect(ours.shape).toEqual(theirs.shape);
  expect(ours.dtype).toBe(theirs.dtype);
  expect(Array.from(ours.dataSync())).toEqual(Array.from(theirs.dataSync()));
}

describe('cpu strided kernels', () => {
  const rand = seededRandom(11);
  const t = (shape: number[]) =>
    tf.tensor(
      randomArray(
        shape.reduce((a, b) => a * b, 1),
        rand,
      ),
      shape,
    );
  beforeAll(async () => {
    await selectBackend('cpu');
  });
  afterAll(() => registerCpuStridedKernels());

  const shapes: Array<[number[], number[]]> = [
    [
      [4, 5],
      [4, 5],
    ],
    [[4, 5], [5]],
    [
      [4, 1],
      [1, 5],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 5],
    ],
    [
      [2, 1, 4, 1],
      [1, 3, 1, 6],
    ],
    [[7], []],
    [[], [3, 2]],
    [[0, 3], [3]],
    [
      [6, 1, 1],
      [6, 2, 1],
    ],
  ];
  const ops: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
    ['add', tf.add],
    ['sub', tf.sub],
    ['mul', tf.mul],
    ['div', tf.div],
    ['maximum', tf.maximum],
    ['minimum', tf.minimum],
    ['squaredDifference', tf.squaredDifference],
    ['less', tf.less],
    ['greaterEqual', tf.greaterEqual],
    ['equal', tf.equal],
    ['pow', (a, b) => tf.pow(tf.abs(a), b)],
  ];
  it.each(ops)('%s broadcasts like tfjs over every shape pair', (_, op) => {
    for (const [sa, sb] of shapes) {
      const a = t(sa);
      const b = t(sb);
      const { ours, theirs } = both(() => op(a, b));
      expectSame(ours, theirs);
      const r = both(() => op(b, a));
      expectSame(r.ours, r.theirs);
    }
  });

  it('gathers along any axis, with repeated and multi-dimensional indices, like tfjs', () => {
    const x = t([3, 4, 20]);
    const xi = tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], 'int32');
    const cases: Array<[tf.Tensor, number[], number[], number]> = [
      [x, [2, 0, 2, 1], [4], 0],
      [x, [3, 3, 0, 1, 2, 1], [2, 3], 1],
      [x, [19, 0, 7], [3], 2],
      [x, [5, 6], [2], -1],
      [xi, [1, 1, 0], [3], 1],
      [xi, [], [0], 0],
    ];
    for (const [src, idx, idxShape, axis] of cases) {
      const indices = tf.tensor(idx, idxShape, 'int32');
      const { ours, theirs } = both(() => tf.gather(src, indices, axis));
      expectSame(ours, theirs);
    }
    expect(() => tf.gather(x, tf.tensor1d([4], 'int32'), 1)).toThrow('GatherV2: the index value 4 is not in [0, 3]');
  });

  it('negates float32 and int32', () => {
    for (const x of [t([3, 4]), tf.tensor1d([1, -2, 0], 'int32')]) {
      const { ours, theirs } = both(() => tf.neg(x));
      expectSame(ours, theirs);
    }
  });

  it('int32 arithmetic keeps int32', () => {
    const a = tf.tensor2d([1, -2, 3, 4, 5, 6], [2, 3], 'int32');
    const b = tf.tensor1d([7, 0, -1], 'int32');
    for (const op of [tf.add, tf.mul, tf.sub, tf.maximum]) {
      const { ours, theirs } = both(() => op(a, b));
      expectSame(ours, theirs);
    }
  });

  it('transposes every permutation of a rank-4 tensor, and bool/int32 tensors', () => {
    const x = t([2, 3, 4, 5]);
    const perms: number[][] = [];
    const permute = (rest: number[], acc: number[]) =>
      rest.length
        ? rest.forEach((r, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...acc, r]))
        : perms.push(acc);
    permute([0, 1, 2, 3], []);
    for (const perm of perms) {
      const { ours, theirs } = both(() => tf.transpose(x, perm));
      expectSame(ours, theirs);
    }
    const bools = tf.greater(t([3, 4]), 0);
    const r = both(() => tf.transpose(bools));
    expectSame(r.ours, r.theirs);
  });

  it('slices contiguous and strided blocks, with -1 sizes', () => {
    const x = t([3, 4, 5, 6]);
    const cases: Array<[number[], number[]]> = [
      [
        [0, 0, 0, 0],
        [3, 4, 5, 6],
      ],
      [
        [1, 0, 0, 0],
        [1, 4, 5, 6],
      ],
      [
        [0, 1, 2, 3],
        [2, 2, 2, 2],
      ],
      [
        [0, 0, 0, 5],
        [-1, -1, -1, 1],
      ],
      [
        [2, 3, 4, 0],
        [1, 1, 1, -1],
      ],
      [
        [0, 0, 1, 0],
        [3, 4, 3, 6],
      ],
    ];
    for (const [begin, size] of cases) {
      const { ours, theirs } = both(() => tf.slice(x, begin, size));
      expectSame(ours, theirs);
    }
    const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const r = both(() => tf.slice(ints, [0, 1], [2, 2]));
    expectSame(r.ours, r.theirs);
  });

  it('sums over any axes, keepDims or not, float32, int32 and bool', () => {
    const x = t([3, 4, 5]);
    for (const axis of [0, 1, 2, [0, 2], [1, 2], [0, 1, 2], -1])
      for (const keep of [false, true]) {
        const { ours, theirs } = both(() => tf.sum(x, axis, keep));
        expectSame(ours, theirs);
      }
    const ints = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3], 'int32');
    const bools = tf.greater(t([4, 3]), 0);
    for (const v of [ints, bools]) {
      const { ours, theirs } = both(() => tf.sum(v, 0));
      expectSame(ours, theirs);
    }
  });

  it('means and softmaxes agree with tfjs to float32 rounding (tfjs divides before summing)', () => {
    const x = t([3, 4, 5]);
    for (const axis of [0, 2, [0, 1], -1])
      for (const keep of [false, true]) {
        const { ours, theirs } = both(() => tf.mean(x, axis, keep));
        expect(ours.shape).toEqual(theirs.shape);
        expect(maxAbsDiff(ours.dataSync(), theirs.dataSync())).toBeLessThan(1e-6);
      }
    const s = both(() => tf.softmax(tf.mul(x, 10)));
    expect(s.ours.shape).toEqual(s.theirs.shape);
    expect(maxAbsDiff(s.ours.dataSync(), s.theirs.dataSync())).toBeLessThan(1e-6);
    const g = both(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.softmax(v), tf.range(0, 5))))(x));
    expect(maxAbsDiff(g.ours.dataSync(), g.theirs.dataSync())).toBeLessThan(1e-6);
  });

  it('splits along any axis (the gradient of concat)', () => {
    const x = t([4, 6, 5]);
    for (const [sizes, axis] of [
      [[1, 3, 2], 1],
      [2, 0],
      [[2, -1], 2],
    ] as Array<[number | number[], number]>) {
      const { ours, theirs } = both(() =>
        tf.stack(
          tf
            .split(x, sizes, axis)
            .map((p) => tf.reshape(p, [-1]))
            .flatMap((p) => [tf.sum(p), tf.max(p)]),
        ),
      );
      expectSame(ours, theirs);
      const parts = tf.split(x, sizes, axis);
      const back = tf.concat(parts, axis);
      expectSame(back, x);
    }
  });

  it('pads with zeros or a constant, on any axes', () => {
    const x = t([2, 3, 4]);
    const cases: Array<[Array<[number, number]>, number]> = [
      [
        [
          [0, 0],
          [1, 2],
          [0, 0],
        ],
        0,
      ],
      [
        [
          [1, 0],
          [0, 0],
          [2, 3],
        ],
        0,
      ],
      [
        [
          [0, 1],
          [1, 1],
          [1, 0],
        ],
        -2.5,
      ],
    ];
    for (const [p, c] of cases) {
      const { ours, theirs } = both(() => tf.pad(x, p, c));
      expectSame(ours, theirs);
    }
  });

  it('gradients through broadcasts and slices match tfjs', () => {
    const a = t([4, 1, 3]);
    const b = t([5, 3]);
    const f = (x: tf.Tensor, y: tf.Tensor) =>
      tf.sum(tf.square(tf.slice(tf.mul(tf.add(x, y), y), [1, 1, 0], [2, 3, 2])));
    const { ours, theirs } = both(() =>
      tf.concat(
        tf
          .grads(f)([a, b])
          .map((g) => tf.reshape(g, [-1])),
      ),
    );
    expectSame(ours, theirs);
  });

  it('collapses dims that every operand walks contiguously', () => {
    expect(
      collapseDims(
        [2, 3, 4],
        [
          [12, 4, 1],
          [0, 4, 1],
        ],
      ),
    ).toEqual({
      dims: [2, 12],
      strides: [
        [12, 1],
        [0, 1],
      ],
    });
    expect(collapseDims([2, 1, 4], [[4, 4, 1]])).toEqual({ dims: [8], strides: [[1]] });
    expect(collapseDims([1, 1], [[1, 1]])).toEqual({ dims: [1], strides: [[0]] });
  });
});
