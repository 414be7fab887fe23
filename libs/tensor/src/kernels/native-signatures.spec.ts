import { NativeKernels, nativeKernels, nativeKernelsBuilt, nativeKernelsStatus } from './native-kernels';

/*
 * The addon's declared signatures (native/src/addon.cc's table, checked by one entry point
 * in napi-signature.h) against the TypeScript interface: every export takes as many
 * arguments as NativeKernels says, and a missing, extra or mistyped argument is a
 * TypeError naming the kernel and the argument, thrown before anything is written.
 */

// How many arguments each export takes, as the compiler reads them off NativeKernels: a
// number here that disagrees with the interface does not type-check.
type Arities = { [K in keyof NativeKernels]: Parameters<NativeKernels[K]>['length'] };
const ARITY: Arities = {
  isa: 0,
  selectIsa: 1,
  setThreads: 1,
  threads: 0,
  gemm: 13,
  exp: 3,
  tanh: 3,
  sigmoid: 3,
  softplus: 3,
  decay: 14,
  layerNormForward: 8,
  layerNormBackward: 8,
  channelNormForward: 10,
  channelNormBackward: 10,
  gluForward: 10,
  gluBackward: 9,
  channelMixForward: 8,
  channelMixBackward: 10,
  channelSkipForward: 7,
  channelSkipBackward: 8,
  scaleRows: 5,
  geluForward: 3,
  geluBackward: 4,
  geluErf: 3,
  attentionForward: 11,
  attentionBackward: 14,
  encoderForward: 12,
  encoderBackward: 14,
  sahpForward: 9,
  sahpBackward: 14,
  thpForward: 7,
  thpBackward: 12,
  rnnForward: 12,
  rnnBackward: 14,
  ifForward: 10,
  ifBackward: 8,
  stepRead: 11,
  stepAccumulate: 11,
  temporalEncoding: 3,
  thpTermsForward: 10,
  thpTermsBackward: 13,
  sahpTermsForward: 11,
  sahpTermsBackward: 15,
  sahpHeadsForward: 7,
  sahpHeadsBackward: 9,
  stepRows: 8,
  rfftRows: 6,
  irfftRows: 5,
  fftRows: 7,
  fftConvForward: 8,
  fftConvBackward: 10,
  fftConvSharedForward: 9,
  fftConvSharedBackward: 11,
  shiftPowersForward: 9,
  shiftPowersBackward: 12,
};

const inUse = nativeKernelsBuilt() && nativeKernels() !== null;
if (!inUse) console.warn(`native signatures not tested: ${nativeKernelsStatus()}`);
const maybe = inUse ? describe : describe.skip;

/** The TypeError a call throws (fails the test if it throws nothing or something else). */
function typeErrorOf(call: () => void): string {
  try {
    call();
  } catch (err) {
    // by name: the addon's errors come from Node's realm, not the test's (instanceof fails)
    expect((err as Error).name).toBe('TypeError');
    return (err as Error).message;
  }
  throw new Error('the call did not throw');
}

maybe('native kernels: declared signatures', () => {
  const nk = nativeKernels()!;
  const untyped = nk as unknown as Record<string, (...args: unknown[]) => void>;
  // isa() and threads() take no arguments and ignore any
  const kernels = (Object.keys(ARITY) as (keyof NativeKernels)[]).filter((name) => name !== 'isa' && name !== 'threads');

  it('declare as many arguments as the NativeKernels interface, for every export', () => {
    for (const name of kernels) {
      const message = typeErrorOf(() => untyped[name]());
      const declared = /takes (\d+) arguments/.exec(message);
      expect([name, message.startsWith(`${name}: missing argument `)]).toEqual([name, true]);
      expect([name, Number(declared?.[1])]).toEqual([name, ARITY[name]]);
    }
  });

  it('reject a call with one argument too many, naming the kernel and the count', () => {
    for (const name of kernels) {
      const n = ARITY[name];
      const message = typeErrorOf(() => untyped[name](...Array.from({ length: n + 1 }, () => 0)));
      expect(message).toMatch(new RegExp(`^${name}: takes ${n} arguments \\(.*\\), got ${n + 1}$`));
    }
  });

  it('name the first missing argument', () => {
    const f = (n: number) => new Float32Array(n);
    expect(typeErrorOf(() => untyped.gemm(1, 1, 1, f(1), 0, 1, 1, f(1), 0, 1, f(1), 0))).toMatch(
      /^gemm: missing argument ldc; takes 13 arguments \(m, n, k, a, aOff, lda, acs, b, bOff, ldb, c, cOff, ldc\)$/,
    );
    expect(typeErrorOf(() => untyped.geluForward(f(2)))).toMatch(/^geluForward: missing argument y;/);
  });

  it('name the argument whose type is wrong, and write nothing', () => {
    const f = (n: number) => new Float32Array(n);
    const wrong = <T>(v: unknown) => v as T;
    const [a, b, c] = [Float32Array.of(2), Float32Array.of(3), Float32Array.of(5)];
    expect(typeErrorOf(() => nk.gemm(1, 1, 1, a, 0, 1, 1, b, 0, 1, c, 0, wrong<number>('1')))).toBe('gemm: ldc must be a number');
    expect(c[0]).toBe(5);
    nk.gemm(1, 1, 1, a, 0, 1, 1, b, 0, 1, c, 0, 1); // the same call, well typed: c += 2 * 3
    expect(c[0]).toBe(11);
    expect(typeErrorOf(() => nk.gemm(1, 1, 1, wrong<Float32Array>(new Float64Array(1)), 0, 1, 1, f(1), 0, 1, c, 0, 1))).toBe(
      'gemm: a must be a Float32Array',
    );
    expect(typeErrorOf(() => nk.layerNormForward(f(4), f(2), f(2), 2, 1e-5, f(4), f(4), wrong<Float64Array>(f(2))))).toBe(
      'layerNormForward: inv must be a Float64Array',
    );
    const limits = Int32Array.of(0, 1);
    expect(typeErrorOf(() => nk.attentionForward(f(4), f(4), f(4), 1, 2, 2, 2, 1, limits, wrong<boolean>(0), f(4)))).toBe(
      'attentionForward: nullKey must be a boolean',
    );
    const ints = (n: number) => new Int32Array(n);
    const order = wrong<Int32Array>(f(1));
    expect(typeErrorOf(() => nk.stepRows(1, 1, 1, order, ints(1), f(1), f(1), false))).toBe('stepRows: order must be an Int32Array');
    expect(typeErrorOf(() => nk.rnnForward(wrong<boolean>('gru'), 1, 1, 1, ints(1), f(1), f(1), f(1), f(0), f(0), f(0), f(0)))).toBe(
      'rnnForward: gru must be a boolean',
    );
  });
});
