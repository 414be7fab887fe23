import { detachedContext, ValidationFailed } from '@seqcast/core';
import type { SequenceRow } from '@seqcast/events';
import { selectBackend } from '@seqcast/tensor';
import { ablate } from './ablations';
import { runSequenceEvaluation, splitPool } from './run-sequence-evaluation';
import { validateSequenceEvalConfig } from './sequence-eval-config';

beforeAll(async () => {
  await selectBackend('cpu' as never);
});

/** Class = sign of the events' mean value: learnable in a few epochs by every kind. */
function signRows(n: number, offset: number): SequenceRow[] {
  return Array.from({ length: n }, (_, i) => {
    const target = i % 2;
    const L = 3 + ((i * 7 + offset) % 4);
    const times = Array.from({ length: L }, (_, t) => t * 0.5 + ((i + t) % 3) * 0.1);
    return {
      times,
      numeric: times.map((_, t) => [(target ? 1 : -1) * (0.5 + ((i + t + offset) % 5) / 10)]),
      target,
    };
  });
}

const inline = (pool: unknown[] = signRows(40, 0), test: unknown[] = signRows(20, 1)) => ({
  kind: 'inline',
  schema: { task: 'classification', numClasses: 2, numericFeatures: 1 },
  pool,
  test,
});

describe('sequence evaluation config', () => {
  const fieldsOf = (doc: unknown): string[] => {
    try {
      validateSequenceEvalConfig(doc);
    } catch (e) {
      if (e instanceof ValidationFailed) return e.details.map((d) => d.field!);
      throw e;
    }
    return [];
  };

  it('names an unknown model, an unknown metric and a dataset without a target', () => {
    const rows = signRows(4, 0) as Array<Partial<SequenceRow>>;
    delete rows[1].target;
    const fields = fieldsOf({
      datasets: [
        { name: 'a', source: inline(rows), metric: 'f1' },
        { name: 'b', source: { kind: 'pendulum' }, metric: 'accuracy' },
      ],
      models: ['gru', { kind: 'lstm9' }, { kind: 'transformer', config: { hidden: 10, heads: 4 } }],
    });
    expect(fields).toEqual(
      expect.arrayContaining([
        'datasets[0].source.pool[1].target',
        'datasets[0].metric',
        'datasets[1].metric',
        'models[1].kind',
        'models[2].config.heads',
      ]),
    );
  });

  it('names bad budget, HPO method, search spaces and unknown fields', () => {
    const fields = fieldsOf({
      datasets: [{ name: 'a', source: { kind: 'nope' } }],
      models: [
        {
          kind: 'gru',
          search: {
            learningRate: { type: 'float', low: 1, high: 0.1 },
            colour: { type: 'categorical', choices: ['red'] },
          },
        },
      ],
      budget: 'huge',
      hpo: { method: 'grid' },
      extra: 1,
    });
    expect(fields).toEqual(
      expect.arrayContaining([
        'datasets[0].source.kind',
        'models[0].search.learningRate',
        'models[0].search.colour',
        'budget',
        'hpo.method',
        'extra',
      ]),
    );
  });

  it('fills the budget preset, explicit fields winning', () => {
    const c = validateSequenceEvalConfig({
      datasets: [{ name: 'a', source: inline() }],
      models: ['gru'],
      budget: 'small',
      seeds: 4,
    });
    expect(c.hpo).toEqual({ method: 'tpe', trials: 6, seeds: 3 });
    expect(c.seeds).toBe(4);
    expect(c.maxEpochs).toBe(40);
    const full = validateSequenceEvalConfig({ datasets: [{ name: 'a', source: inline() }], models: ['gru'] });
    expect([full.hpo.trials, full.hpo.seeds, full.seeds]).toEqual([70, 3, 20]);
  });
});

describe('splits and ablations', () => {
  it('splits the pool 0.7 / 0.15 / 0.15 without overlap, reproducibly', () => {
    const pool = signRows(100, 0);
    const [a, b, c] = splitPool(pool, [0.7, 0.15, 0.15], 3);
    expect([a.length, b.length, c.length]).toEqual([70, 15, 15]);
    expect(new Set([...a, ...b, ...c]).size).toBe(100);
    expect(splitPool(pool, [0.7, 0.15, 0.15], 3)[0]).toEqual(a);
    expect(splitPool(pool, [0.7, 0.15, 0.15], 4)[0]).not.toEqual(a);
  });

  it('drop_time leaves positions as times; permute keeps the multiset of events and the time stamps', () => {
    const rows = signRows(6, 2);
    const dropped = ablate(rows, 'drop_time', 0);
    dropped.forEach((r, i) => {
      expect(r.times).toEqual(rows[i].times.map((_, k) => k));
      expect(r.numeric).toEqual(rows[i].numeric);
    });
    const permuted = ablate(rows, 'permute', 0);
    permuted.forEach((r, i) => {
      expect(r.times).toEqual(rows[i].times);
      expect([...r.numeric].map(([v]) => v).sort()).toEqual([...rows[i].numeric].map(([v]) => v).sort());
    });
  });
});

describe('the protocol', () => {
  it('searches, runs the final seeds, groups, ablates and reports progress', async () => {
    const config = validateSequenceEvalConfig({
      datasets: [{ name: 'signs', source: inline() }],
      models: [
        {
          kind: 'mean_pool_mlp',
          config: { hidden: 8, learningRate: 0.05, batchSize: 8 },
          search: { hidden: { type: 'int', low: 4, high: 8 } },
        },
        { name: 'gru8', kind: 'gru', config: { hidden: 8, learningRate: 0.05, batchSize: 8 }, search: {} },
      ],
      hpo: { trials: 2, seeds: 1 },
      seeds: 3,
      ablationSeeds: 1,
      maxEpochs: 15,
    });
    const messages: string[] = [];
    let last = 0;
    const r = await runSequenceEvaluation(config, {
      ...detachedContext(),
      progress: (f, m) => {
        expect(f).toBeGreaterThanOrEqual(last);
        last = f;
        messages.push(m ?? '');
      },
    });
    // per model: 2 trials x 1 seed + 3 final + 2 ablations x 1 seed = 7 fits
    expect(messages).toHaveLength(14);
    expect(last).toBe(1);
    const d = r.datasets[0];
    expect(d.sizes).toEqual({ train: 28, valid: 6, hpoValid: 6, test: 20 });
    for (const m of d.models) {
      expect(m.trials).toHaveLength(2);
      expect(m.final.values).toHaveLength(3);
      expect(m.final.mean).toBeGreaterThan(0.8);
      expect(Object.keys(m.ablations).sort()).toEqual(['drop_time', 'permute']);
      // objective = mean - std of the HPO-validation accuracy over the seeds: at most 1
      expect(m.best.objective).toBeLessThanOrEqual(1);
      expect(m.best.objective).toBe(Math.max(...m.trials.map((t) => t.value)));
    }
    expect(d.models.find((m) => m.name === 'mean_pool_mlp')!.best.params.hidden).toBeGreaterThanOrEqual(4);
    // three seeds cannot reach p < 0.01 (the smallest exact two-sided p for 3 vs 3 is 0.1): one group
    expect(d.models.map((m) => m.group)).toEqual([1, 1]);
    expect(r.meanRanks).toEqual({ mean_pool_mlp: 1, gru8: 1 });
    expect(r.table).toContain('| gru8 |');
    expect(r.table).toContain('### Ranks');
  });
});
