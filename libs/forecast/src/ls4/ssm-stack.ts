import type { S4DState } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { ParamDeclaration } from '../trainable/declared-params';
import { channelLayerNorm, channelLinear, Discrete, ParamLookup, S4dUnit, SequenceOptions } from './s4d-unit';

export interface StackShape {
  prefix: string;
  input: number;
  width: number;
  output: number;
  layers: number;
  stateSize: number;
}

/**
 * One of LS4's three S4D stacks (posterior, prior, decoder), on [B, C, L]:
 *
 *   Linear(input -> width) -> `layers` prenorm residual S4D units -> LayerNorm -> Linear(width -> output)
 *
 * the reference's Model(backbone) with its final LayerNorm and output linear. Every mode has
 * the same values: `sequence` (convolution, or the recurrence with dt or a state wanted) and
 * `step` (one position, for generation).
 */
export class SsmStack {
  readonly units: S4dUnit[];

  constructor(readonly shape: StackShape) {
    const { prefix, width, layers, stateSize } = shape;
    this.units = Array.from(
      { length: layers },
      (_, l) => new S4dUnit(`${prefix}.l${l}`, width, stateSize, true),
    );
  }

  declarations(): ParamDeclaration[] {
    const { prefix: p, input, width, output } = this.shape;
    const linear = (name: string, cin: number, cout: number): ParamDeclaration[] => [
      { name: `${p}.${name}.w`, shape: [cout, cin], init: { uniform: 1 / Math.sqrt(cin) } },
      { name: `${p}.${name}.b`, shape: [cout], init: { uniform: 1 / Math.sqrt(cin) } },
    ];
    return [
      ...linear('in', input, width),
      ...this.units.flatMap((u) => u.declarations()),
      { name: `${p}.norm.gamma`, shape: [width], init: { constant: 1 } },
      { name: `${p}.norm.beta`, shape: [width], init: { constant: 0 } },
      ...linear('out', width, output),
    ];
  }

  /** x: [B, input, L] -> [B, output, L]; per-layer last states when run recurrently. */
  sequence(
    get: ParamLookup,
    x: tf.Tensor3D,
    o: Omit<SequenceOptions, 'state'> & { states?: S4DState[] } = {},
  ): { y: tf.Tensor3D; states: S4DState[] } {
    const p = this.shape.prefix;
    let h = channelLinear(x, get(`${p}.in.w`), get(`${p}.in.b`));
    const states: S4DState[] = [];
    this.units.forEach((u, l) => {
      const s = u.sequence(get, h, { dtScale: o.dtScale, recurrent: o.recurrent, state: o.states?.[l] });
      h = s.y;
      if (s.state) states.push(s.state);
    });
    return { y: this.head(get, h), states };
  }

  /** x: [B, input] -> [B, output] at one position. */
  step(
    get: ParamLookup,
    states: S4DState[],
    x: tf.Tensor2D,
    o: { dtScale?: tf.Tensor1D; discrete?: Discrete[] } = {},
  ): { y: tf.Tensor2D; states: S4DState[] } {
    const p = this.shape.prefix;
    let h = tf.squeeze(
      channelLinear(tf.expandDims(x, 2) as tf.Tensor3D, get(`${p}.in.w`), get(`${p}.in.b`)),
      [2],
    ) as tf.Tensor2D;
    const next: S4DState[] = [];
    this.units.forEach((u, l) => {
      const s = u.step(get, states[l], h, { dtScale: o.dtScale, discrete: o.discrete?.[l] });
      h = s.y;
      next.push(s.state);
    });
    const y = this.head(get, tf.expandDims(h, 2) as tf.Tensor3D);
    return { y: tf.squeeze(y, [2]) as tf.Tensor2D, states: next };
  }

  zeroStates(get: ParamLookup, batch: number): S4DState[] {
    return this.units.map((u) => u.zeroState(get, batch));
  }

  discretise(get: ParamLookup): Discrete[] {
    return this.units.map((u) => u.discretise(get));
  }

  private head(get: ParamLookup, h: tf.Tensor3D): tf.Tensor3D {
    const p = this.shape.prefix;
    const n = channelLayerNorm(h, get(`${p}.norm.gamma`), get(`${p}.norm.beta`));
    return channelLinear(n, get(`${p}.out.w`), get(`${p}.out.b`));
  }
}
