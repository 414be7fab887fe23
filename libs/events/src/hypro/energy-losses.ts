import * as tf from '@tensorflow/tfjs';

export const ENERGY_LOSSES = ['mnce+hinge', 'mnce', 'binary', 'hinge'] as const;
export type EnergyLoss = (typeof ENERGY_LOSSES)[number];

/**
 * HYPRO's training objectives on energies [N, 1 + M]: column 0 the true continuation of a
 * window's history, columns 1..M the base model's proposals for the same history; margins
 * [N, M] the distance of each proposal from the truth (OTD). Lower energy = more real.
 *  - binary: real vs generated as a classifier with P(real) = sigmoid(-E):
 *    softplus(E_true) + mean_m softplus(-E_m) (the generated term averaged so M does not
 *    weigh it up);
 *  - mnce: multi-class noise-contrastive estimation, -log softmax(-E)_true;
 *  - hinge: mean_m max(0, margin_m + E_true - E_m), the margin being how far the proposal is;
 *  - mnce+hinge: the paper's default combination, mnce + hingeWeight * hinge.
 * Each averaged over the N windows.
 */
export function energyLoss(
  energies: tf.Tensor2D,
  margins: tf.Tensor2D,
  loss: EnergyLoss,
  hingeWeight: number,
): tf.Scalar {
  const [N, C] = energies.shape;
  const eTrue = tf.slice(energies, [0, 0], [N, 1]);
  const eGen = tf.slice(energies, [0, 1], [N, C - 1]);
  const binary = () => tf.add(tf.mean(tf.softplus(eTrue)), tf.mean(tf.softplus(tf.neg(eGen))));
  const mnce = () => tf.mean(tf.add(tf.squeeze(eTrue, [1]), tf.logSumExp(tf.neg(energies), 1)));
  const hinge = () => tf.mean(tf.relu(tf.sub(tf.add(margins, eTrue), eGen)));
  switch (loss) {
    case 'binary':
      return binary() as tf.Scalar;
    case 'mnce':
      return mnce() as tf.Scalar;
    case 'hinge':
      return hinge() as tf.Scalar;
    case 'mnce+hinge':
      return tf.add(mnce(), tf.mul(hinge(), hingeWeight)) as tf.Scalar;
  }
}
