import { deriveSeed, Rng } from '@seqcast/numeric';
import * as tf from '@tensorflow/tfjs';
import type { FlatSizes, SequenceNetwork } from './flat-s4d-network';
import { Dense, ParamTable } from './param-table';

/** One LSTM layer's weights, torch's layout and gate order (input, forget, cell, output). */
export interface LstmWeights {
  /** [in, 4H] */
  wIn: tf.Variable;
  /** [H, 4H] */
  wHidden: tf.Variable;
  /** [4H]: torch's b_ih + b_hh as one vector (the sum is all the recurrence sees) */
  bias: tf.Variable;
}

/**
 * The reference's LSTMNet: Linear F -> H, a stacked LSTM (torch.nn.LSTM, dropout between
 * layers, none after the last), Linear H -> O. Written with tf ops, zero initial state:
 *   i, f, g, o = sigma(.), sigma(.), tanh(.), sigma(.) of x_t W_in + h_{t-1} W_hidden + b
 *   c_t = f c_{t-1} + i g,   h_t = o tanh(c_t)
 * The input products of all steps are one matrix product; only h W_hidden is in the loop.
 */
export class LstmNetwork implements SequenceNetwork {
  readonly params = new ParamTable();
  readonly layers: LstmWeights[];
  private readonly embed: Dense;
  private readonly decoder: Dense;
  private readonly hidden: number;
  private readonly dropout: number;
  private readonly dropoutRng: Rng;

  constructor(features: number, outputs: number, s: FlatSizes) {
    const rng = new Rng(deriveSeed(s.seed, 0x4c53));
    const H = s.width;
    this.hidden = H;
    this.dropout = s.dropout;
    this.embed = this.params.dense('embed', features, H, rng);
    // torch.nn.LSTM: every weight and bias U(-1/sqrt(H), 1/sqrt(H))
    const bound = 1 / Math.sqrt(H);
    const u = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound);
    this.layers = Array.from({ length: s.layers }, (_, l) => ({
      wIn: this.params.create(`lstm.${l}.wIn`, u(H * 4 * H), [H, 4 * H]),
      wHidden: this.params.create(`lstm.${l}.wHidden`, u(H * 4 * H), [H, 4 * H]),
      bias: this.params.create(`lstm.${l}.bias`, u(4 * H), [4 * H]),
    }));
    this.decoder = this.params.dense('decoder', H, outputs, rng);
    this.dropoutRng = this.params.addStream('dropout', new Rng(deriveSeed(s.seed, 0xd0)));
  }

  forward(x: tf.Tensor3D, training: boolean): tf.Tensor3D {
    return tf.tidy(() => {
      let h = this.embed.apply(x);
      this.layers.forEach((w, l) => {
        h = lstmLayer(h, w, this.hidden);
        if (training && this.dropout > 0 && l < this.layers.length - 1)
          h = tf.dropout(h, this.dropout, undefined, this.dropoutRng.fork()) as tf.Tensor3D;
      });
      return this.decoder.apply(h);
    });
  }
}

/** One LSTM layer over [B, T, in] -> [B, T, H] from a zero state. */
export function lstmLayer(x: tf.Tensor3D, w: LstmWeights, H: number): tf.Tensor3D {
  return tf.tidy(() => {
    const [B, T, I] = x.shape;
    const pre = tf.reshape(
      tf.add(tf.matMul(tf.reshape(x, [B * T, I]) as tf.Tensor2D, w.wIn as tf.Tensor2D), w.bias),
      [B, T, 4 * H],
    );
    const steps = tf.unstack(pre, 1) as tf.Tensor2D[];
    let h: tf.Tensor2D = tf.zeros([B, H]);
    let c: tf.Tensor2D = tf.zeros([B, H]);
    const outs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const gates = tf.add(steps[t], tf.matMul(h, w.wHidden as tf.Tensor2D));
      const [i, f, g, o] = tf.split(gates, 4, 1) as tf.Tensor2D[];
      c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
      h = tf.mul(tf.sigmoid(o), tf.tanh(c));
      outs.push(h);
    }
    return tf.stack(outs, 1) as tf.Tensor3D;
  });
}
