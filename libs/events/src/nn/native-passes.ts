import { NativeKernels, kernelTier, nativeKernels } from '@seqcast/tensor';
import { nativePrefixAttention } from './native-attention-core';
import { nativeEncoderLayerOp } from './native-encoder-layer';
import { nativeIntensityFreeTerms } from './native-intensity-free';
import { nativeGeluBackward, nativeGeluForward, nativeLayerNormBackward, nativeLayerNormForward, nativeSoftplus } from './native-norms';
import { nativeColumnSums, nativeMultiply } from './native-products';
import { nativeRnn } from './native-rnn';
import { nativeSahpHeadsTerms, nativeSahpIntensity } from './native-sahp-intensity';
import { nativeTemporalEncoding } from './native-temporal-encoding';
import { nativeThpIntensity, nativeThpTerms } from './native-thp-intensity';

/**
 * The event models' native passes, in one table: each pass's name and its native function
 * (native-*.ts: the addon first, then the pass's own arguments). A fused op registers its
 * pass here once with `pass(name, fallback)`, pairing it with its JS fallback (the same
 * arguments, the same result on the wasm and JS tiers; the specs check both against the
 * tfjs-op formulas). Nothing else in libs/events asks for the addon.
 */
const NATIVE_PASSES = {
  // products on the gemm (arena-gemm.ts, row-ops.ts)
  multiply: nativeMultiply,
  columnSums: nativeColumnSums,
  // layers (fused-norms.ts, layers.ts, prefix-attention-core.ts, fused-encoder-layer.ts)
  layerNormForward: nativeLayerNormForward,
  layerNormBackward: nativeLayerNormBackward,
  geluForward: nativeGeluForward,
  geluBackward: nativeGeluBackward,
  softplus: nativeSoftplus,
  temporalEncoding: nativeTemporalEncoding,
  prefixAttention: nativePrefixAttention,
  encoderLayer: nativeEncoderLayerOp,
  // intensities and likelihood terms (fused-thp-intensity.ts, fused-sahp-intensity.ts, fused-intensity-free.ts)
  thpIntensity: nativeThpIntensity,
  thpTerms: nativeThpTerms,
  sahpIntensity: nativeSahpIntensity,
  sahpHeadsTerms: nativeSahpHeadsTerms,
  intensityFreeTerms: nativeIntensityFreeTerms,
  // recurrences (fused-recurrences.ts)
  rnn: nativeRnn,
};

type Passes = typeof NATIVE_PASSES;
export type PassName = keyof Passes;
/** A pass's own arguments (its native function's, after the addon). */
export type PassArgs<K extends PassName> = Passes[K] extends (nk: NativeKernels, ...args: infer A) => unknown ? A : never;
export type PassResult<K extends PassName> = ReturnType<Passes[K]>;

/**
 * Pass `name` as one function: its native function where the native kernels are the tier in
 * use when it is called, else `fallback`.
 */
export function pass<K extends PassName>(name: K, fallback: (...args: PassArgs<K>) => PassResult<K>): (...args: PassArgs<K>) => PassResult<K> {
  const native = NATIVE_PASSES[name] as unknown as (nk: NativeKernels, ...args: PassArgs<K>) => PassResult<K>;
  return (...args) => {
    const nk = kernelTier() === 'native' ? nativeKernels() : null;
    return nk ? native(nk, ...args) : fallback(...args);
  };
}
