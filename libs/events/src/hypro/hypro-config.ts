import { SchemaFields } from '@seqcast/kit';
import { AttNhpConfig } from '../models/attnhp';
import { ENERGY_LOSSES, EnergyLoss } from './energy-losses';

/**
 * HYPRO's own options, beside its AttNHP base's (registry.ts joins the two). Defaults
 * are sized for a small machine: the paper's proposals and epochs are larger.
 */
export const hyproFields = {
  horizonEvents: {
    type: 'integer',
    default: 20,
    minimum: 1,
    maximum: 200,
    description: 'events per continuation the energy is trained on',
  },
  trainProposals: {
    type: 'integer',
    default: 5,
    minimum: 1,
    maximum: 64,
    description: 'base-model continuations per training window (the noise samples)',
  },
  proposals: {
    type: 'integer',
    default: 10,
    minimum: 1,
    maximum: 1000,
    description: 'continuations the base proposes per generated one; the lowest energy is kept',
  },
  minHistory: {
    type: 'integer',
    default: 5,
    minimum: 1,
    maximum: 10000,
    description: 'fewest history events before a training window',
  },
  windowsPerSequence: {
    type: 'integer',
    default: 1,
    minimum: 1,
    maximum: 64,
    description: 'training windows cut at random from each training sequence',
  },
  maxWindows: {
    type: 'integer',
    default: 256,
    minimum: 1,
    maximum: 100000,
    description: 'at most this many training windows (a random subset)',
  },
  energyContext: {
    type: 'integer',
    default: 32,
    minimum: 1,
    maximum: 100000,
    description: 'history events before a continuation the energy sees',
  },
  energyEpochs: {
    type: 'integer',
    default: 30,
    minimum: 1,
    maximum: 10000,
    description: 'energy training epochs',
  },
  energyBatchSize: {
    type: 'integer',
    default: 8,
    minimum: 1,
    maximum: 4096,
    description: 'windows per energy training batch',
  },
  energyLearningRate: {
    type: 'number',
    default: 0.002,
    minimum: 1e-7,
    maximum: 1,
    description: 'AdamW learning rate of the energy',
  },
  energyPatience: {
    type: 'integer',
    default: 5,
    minimum: 0,
    maximum: 10000,
    description:
      'energy epochs without a lower loss on dev windows before stopping, the best weights kept (0: off; needs a dev set)',
  },
  energyLoss: {
    type: 'string',
    default: 'mnce+hinge',
    enum: [...ENERGY_LOSSES],
    description: "energy objective: 'mnce+hinge' (the paper's default), 'mnce', 'binary' or 'hinge'",
  },
  hingeWeight: {
    type: 'number',
    default: 0.1,
    minimum: 0,
    maximum: 100,
    description: "weight of the hinge term in 'mnce+hinge'",
  },
} as const satisfies SchemaFields;

export interface HyproConfig extends AttNhpConfig {
  horizonEvents: number;
  trainProposals: number;
  proposals: number;
  minHistory: number;
  windowsPerSequence: number;
  maxWindows: number;
  energyContext: number;
  energyEpochs: number;
  energyBatchSize: number;
  energyLearningRate: number;
  energyPatience: number;
  energyLoss: EnergyLoss;
  hingeWeight: number;
}
