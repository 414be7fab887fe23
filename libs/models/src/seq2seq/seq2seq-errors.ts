/**
 * Mean squared error of predictions against targets, [sequence][channel][step], pooled over
 * every output step and channel, and per channel (in the targets' units).
 */
export function seq2seqMse(
  predictions: Float32Array[][],
  targets: Float32Array[][],
): { mse: number; perChannel: number[]; steps: number } {
  const channels = targets[0]?.length ?? 0;
  const sse = new Float64Array(channels);
  let steps = 0;
  targets.forEach((seq, s) => {
    seq.forEach((y, c) => {
      const p = predictions[s][c];
      for (let t = 0; t < y.length; t++) sse[c] += (p[t] - y[t]) ** 2;
    });
    steps += seq[0].length;
  });
  const perChannel = Array.from(sse, (x) => x / steps);
  return { mse: perChannel.reduce((a, b) => a + b, 0) / channels, perChannel, steps };
}

/** The same error for a constant prediction of the training targets' mean (the floor a model must beat). */
export function meanPredictorMse(train: Float32Array[][], test: Float32Array[][]): number {
  const channels = train[0].length;
  const mean = Array.from({ length: channels }, (_, c) => {
    let sum = 0;
    let n = 0;
    for (const seq of train) {
      for (const v of seq[c]) sum += v;
      n += seq[c].length;
    }
    return sum / n;
  });
  return seq2seqMse(
    test.map((seq) => seq.map((y, c) => new Float32Array(y.length).fill(mean[c]))),
    test,
  ).mse;
}
