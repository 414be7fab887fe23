import { eventModelRegistry } from '../registry';
import { NeuralTrainingConfig } from './training-config';
import { trainingPlan } from './training-plan';

const config = (over: Record<string, unknown> = {}) =>
  eventModelRegistry.resolveConfig('rmtpp', over) as unknown as NeuralTrainingConfig;

describe('trainingPlan: budgets in optimizer steps', () => {
  it('gives a small set as many steps as a large one (38 sequences: 1 step an epoch, 1000 epochs)', () => {
    const small = trainingPlan(config(), 38, true);
    const large = trainingPlan(config(), 700, true);
    expect(small.epochs * Math.ceil(38 / 64)).toBe(1000);
    // 700 sequences in batches of 64: 11 steps an epoch, ceil(1000 / 11) = 91 epochs
    expect(large.epochs).toBe(91);
  });

  it('makes at least minEpochs passes over a set too large for the step budget', () => {
    expect(trainingPlan(config({ steps: 100 }), 64 * 50, true).epochs).toBe(10);
  });

  it('takes epochs as given when they are set', () => {
    expect(trainingPlan(config({ epochs: 3 }), 38, true).epochs).toBe(3);
  });

  it('stops early on the dev LL with the best weights restored, waiting 200 steps or 5 epochs, whichever is longer', () => {
    expect(trainingPlan(config(), 38, true).earlyStopping).toEqual({
      patience: 200,
      restoreBest: true,
      scoreInitial: false,
    });
    expect(trainingPlan(config(), 64 * 100, true).earlyStopping).toEqual({
      patience: 5,
      restoreBest: true,
      scoreInitial: false,
    });
    expect(trainingPlan(config({ patience: 7 }), 38, true).earlyStopping).toEqual({
      patience: 7,
      restoreBest: true,
      scoreInitial: false,
    });
    // a model started at the Poisson fit has its start scored as epoch 0
    expect(trainingPlan(config({ init: 'baseline' }), 38, true).earlyStopping?.scoreInitial).toBe(true);
    expect(trainingPlan(config(), 38, false).earlyStopping).toBeUndefined();
    expect(trainingPlan(config({ earlyStopping: false }), 38, true).earlyStopping).toBeUndefined();
  });

  it('anneals over the whole budget, warming up over its first 5% where the model asks', () => {
    expect(trainingPlan(config(), 700, true).schedule).toEqual({
      kind: 'cosine',
      minLr: 0.05 * 0.01,
      warmupSteps: 0,
    });
    const thp = eventModelRegistry.resolveConfig('thp', {}) as unknown as NeuralTrainingConfig;
    // 91 epochs x 11 steps = 1001 steps; 5% of them
    expect(trainingPlan(thp, 700, true).schedule).toEqual({
      kind: 'cosine',
      minLr: 0.05 * 0.005,
      warmupSteps: 50,
    });
    expect(trainingPlan(config({ schedule: 'constant' }), 700, true).schedule).toBeUndefined();
  });
});
