import { ConfigOf, ConfigSchema } from '@seqcast/kit';

export const onenetSchema = new ConfigSchema({
  branch: {
    type: 'string',
    default: 'both',
    enum: ['both', 'time', 'variable'],
    description:
      "'both': OneNet, the two online branches combined per variable; 'time' / 'variable': that branch alone, updated online the same way (the ablations the benchmark prints)",
  },
  combine: {
    type: 'string',
    default: 'eg',
    enum: ['eg', 'learned'],
    description:
      "'eg': exponentiated gradient on each branch's MSE, as the paper; 'learned': sigmoid(w + b), w by Adam and b from a small MLP, as the reference code ships (branch 'both' only)",
  },
  lr: {
    type: 'number',
    default: 1e-3,
    exclusiveMinimum: 0,
    maximum: 1,
    description:
      "Adam's learning rate of both branches' corrections (1e-3 as the reference's test-time rate)",
  },
  weightDecay: {
    type: 'number',
    default: 0,
    minimum: 0,
    maximum: 1,
    description:
      "decoupled weight decay of the branches' Adam, pulling the corrections back to the frozen model (the reference's torch AdamW uses 0.01)",
  },
  eta: {
    type: 'number',
    default: 0.5,
    exclusiveMinimum: 0,
    maximum: 100,
    description: "step size of the exponentiated-gradient combination (combine 'eg')",
  },
  share: {
    type: 'number',
    default: 0,
    minimum: 0,
    maximum: 0.5,
    description:
      "fixed share of the combination (combine 'eg'): after each exponentiated-gradient step this share of the weight is spread evenly again (Herbster & Warmuth), so the weights follow a branch that became better later in the stream; 0 is the paper's rule",
  },
  width: {
    type: 'integer',
    default: 32,
    minimum: 1,
    maximum: 1024,
    description:
      "width of the variable branch's tokens (each variable's window -> width -> mixing -> horizon)",
  },
  lrWeight: {
    type: 'number',
    default: 1e-3,
    exclusiveMinimum: 0,
    maximum: 1,
    description:
      "Adam's learning rate of the combination weight w (combine 'learned'; the reference's learning_rate_w)",
  },
  lrBias: {
    type: 'number',
    default: 1e-3,
    exclusiveMinimum: 0,
    maximum: 1,
    description:
      "Adam's learning rate of the bias MLP (combine 'learned'; the reference's learning_rate_bias)",
  },
});

export type OneNetOptions = ConfigOf<typeof onenetSchema.fields> & {
  branch: 'both' | 'time' | 'variable';
  combine: 'eg' | 'learned';
};
