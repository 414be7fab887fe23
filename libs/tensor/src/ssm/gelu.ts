import * as tf from '@tensorflow/tfjs';
import { borrowFloats } from '../kernels/borrowed-floats';
import { geluErfInto } from '../kernels/gelu-erf';

/**
 * The exact GELU, x Phi(x) (torch's nn.GELU default, which S4D uses), as one differentiable
 * op: tfjs has no gelu, and composing it from erf would keep several [B, H, L] temporaries on
 * the tape. Value and derivative come from geluErfInto (native kernels where built).
 */
export function geluOp(x: tf.Tensor): tf.Tensor {
  const op = tf.customGrad((...args: unknown[]) => {
    const xt = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([xt]);
    const y = new Float32Array(xt.size);
    geluErfInto(borrowFloats(xt), y, null);
    const gradFunc = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const xs = borrowFloats(saved[0]);
      const g = borrowFloats(Array.isArray(dy) ? dy[0] : dy);
      const value = new Float32Array(xs.length);
      const der = new Float32Array(xs.length);
      geluErfInto(xs, value, der);
      for (let i = 0; i < der.length; i++) der[i] *= g[i];
      return [tf.tensor(der, saved[0].shape)];
    };
    return { value: tf.tensor(y, xt.shape), gradFunc };
  });
  return op(x);
}
