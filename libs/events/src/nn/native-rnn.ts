import { NativeKernels, scratchPool } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import { StepInputReader, StepInputs, stepInputTensors } from './step-inputs';
import { StepPlan } from './step-plan';

/**
 * fusedRnn on the native kernels: every step's inputs are read from their tables into one
 * [T, B, G H] array (StepInputReader, natively), the whole recurrence runs in
 * one native call each way (native/src/recurrence-impl.h), and the input gradients are
 * scattered back into the tables' gradients (natively too). The tape lives in pooled arrays,
 * handed back after the backward pass.
 */
export function nativeRnn(nk: NativeKernels, inputs: StepInputs, U: tf.Tensor2D, gru: boolean, plan: StepPlan): tf.Tensor3D {
  const { B, T, active } = plan;
  const H = U.shape[0];
  const GH = U.shape[1];
  const N = T * B * H;
  const op = tf.customGrad(((...ins: tf.Tensor[]) => {
    const reader = new StepInputReader(inputs, GH, 'fusedRnn');
    const us = ins[stepInputTensors(inputs).length].dataSync() as Float32Array; // after the input tensors (customGrad appends `save`)
    const x = scratchPool.floats(T * B * GH);
    reader.readAll(plan, x, nk);
    const tape = [0, 1, 2, 3, 4].map((i) => (i === 0 || gru ? scratchPool.floats(N) : new Float32Array(0)));
    const [hs, z, rg, n, hn] = tape;
    nk.rnnForward(gru, B, T, H, active, x, us, hs, z, rg, n, hn);
    const out = new Float32Array(B * T * H);
    nk.stepRows(B, T, H, plan.order, active, hs, out, false);
    const gradFunc = (dy: tf.Tensor) => {
      const gH = scratchPool.floats(N); // dL/dh_t, internal layout; only running rows are read
      nk.stepRows(B, T, H, plan.order, active, dy.dataSync() as Float32Array, gH, true);
      const dU = new Float32Array(H * GH);
      nk.rnnBackward(gru, B, T, H, active, gH, us, hs, z, rg, n, hn, x, dU); // dX into x: its inputs are spent
      const gIn = reader.grads();
      reader.accumulateAll(plan, x, gIn, nk);
      scratchPool.release(x, gH, ...tape.filter((a) => a.length > 0));
      return [...reader.gradTensors(gIn, inputs), tf.tensor2d(dU, [H, GH])];
    };
    return { value: tf.tensor3d(out, [B, T, H]), gradFunc };
  }) as never); // customGrad's typing wants (Tensor | GradSaveFunc)[] parameters
  return op(...stepInputTensors(inputs), U) as tf.Tensor3D;
}
