/**
 * An LS4 small enough to train in a second or two, for specs of what the platform does
 * around the model (timing, routes, backtests) rather than of what it learns: one layer,
 * widths of 4, a 2-dimensional latent, two epochs, no weight averaging (so the served
 * weights are the trained ones and hand-built calls reproduce them exactly).
 */
export const TINY_LS4 = {
  dModel: 4,
  stateSize: 4,
  layers: 1,
  zDim: 2,
  epochs: 2,
  batchSize: 32,
  samples: 8,
  emaDecay: 0,
} as const;
