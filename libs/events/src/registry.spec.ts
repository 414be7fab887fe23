import { validationFailure } from '@seqcast/kit';
import { readFileSync } from 'fs';
import * as path from 'path';
import { DEFAULT_HAWKES } from './hawkes/hawkes-params';
import { eventModelRegistry } from './registry';

// Each kind's options as the registry described them before the kit (its own vocabulary:
// [type, default, min, max, values]), written by the code of commit f658291.
const before = JSON.parse(
  readFileSync(path.join(__dirname, '../../../test/fixtures/schemas-v1/event-model-schemas.json'), 'utf8'),
) as Record<string, Record<string, [string, unknown, number | null, number | null, string[] | null]>>;

// What issue 28 changed on purpose: training budgets in optimizer steps (epochs 0 = the
// budget), early stopping for every neural kind, a schedule per kind, FullyNN's mark head,
// THP's and SAHP's random shift of the encoded times in training, the start at the Poisson fit.
const SCHEDULES = ['constant', 'cosine', 'warmup-cosine'];
for (const [kind, fields] of Object.entries(before)) {
  if (kind === 'poisson') continue;
  fields.epochs = ['integer', 0, 0, 100000, null];
  fields.steps = ['integer', kind === 'intensity_free' ? 3300 : 1000, 1, 10000000, null];
  fields.minEpochs = ['integer', 10, 1, 10000, null];
  fields.earlyStopping = ['boolean', true, null, null, null];
  // and the Poisson fit as a start or a last candidate of early stopping
  fields.init = ['enum', 'random', null, null, ['random', 'baseline']];
  fields.baselineFallback = ['boolean', true, null, null, null];
  fields.schedule = ['enum', kind === 'thp' ? 'warmup-cosine' : 'cosine', null, null, SCHEDULES];
  if (kind === 'fullynn') fields.markHead = ['enum', 'softmax', null, null, ['softmax', 'hazard']];
  if (kind === 'thp' || kind === 'sahp')
    fields.randomTimeShift = ['enum', 'auto', null, null, ['auto', 'always', 'never']];
}

describe('event model registry on the kit', () => {
  it("keeps every kind's options, defaults and bounds, now in JSON Schema words", () => {
    // kinds added since have no "before"; every kind that had one is still there
    const now = eventModelRegistry.describe().filter((d) => d.kind in before);
    expect(now.map((d) => d.kind).sort()).toEqual(Object.keys(before).sort());
    for (const d of now) {
      const props = d.configSchema.properties;
      const asBefore = Object.fromEntries(
        Object.entries(props).map(([k, p]) => [
          k,
          [
            p.enum ? 'enum' : p.type,
            p.default,
            (p.minimum as number | undefined) ?? null,
            (p.maximum as number | undefined) ?? null,
            (p.enum as string[] | undefined) ?? null,
          ],
        ]),
      );
      expect([d.kind, asBefore]).toEqual([d.kind, before[d.kind]]);
      expect(d.defaults).toEqual(eventModelRegistry.resolveConfig(d.kind, {}));
    }
  });

  it('declares the number of types as a role, and capabilities', () => {
    for (const kind of eventModelRegistry.kinds()) {
      const d = eventModelRegistry.registry.describe(kind);
      expect(d.roles).toEqual({ numTypes: 'numTypes' });
      expect(d.family).toBe('events');
      expect(d.capabilities).toContain('probabilistic');
      expect(d.capabilities.includes('trained')).toBe(kind !== 'poisson');
    }
  });

  it('checks that attention heads divide the hidden size, naming config.heads', () => {
    for (const kind of ['thp', 'sahp', 'attnhp']) {
      expect(
        validationFailure(() => eventModelRegistry.resolveConfig(kind, { hidden: 30, heads: 4 })).details,
      ).toEqual([{ field: 'config.heads', reason: `must divide hidden (30) for ${kind}` }]);
      expect(() => eventModelRegistry.resolveConfig(kind, { hidden: 32, heads: 4 })).not.toThrow();
    }
    expect(() => eventModelRegistry.resolveConfig('rmtpp', { hidden: 30 })).not.toThrow();
  });

  it('names the number of types, unknown kinds and artifacts it cannot read', () => {
    expect(validationFailure(() => eventModelRegistry.create('rmtpp', 0)).details[0].field).toBe('numTypes');
    expect(validationFailure(() => eventModelRegistry.create('rmtpp', 2.5)).details[0].field).toBe(
      'numTypes',
    );
    expect(validationFailure(() => eventModelRegistry.create('hawkes-ish', 2)).details).toEqual([
      { field: 'kind', reason: expect.stringContaining('intensity_free_joint') },
    ]);
    expect(validationFailure(() => eventModelRegistry.fromArtifact(null as never)).details[0].field).toBe(
      'kind',
    );
  });

  it('loads what a model saves, filling fields added after it was trained', () => {
    const rates = { rate0: 0.5, rate1: 2 };
    const p = eventModelRegistry.fromArtifact({
      kind: 'poisson',
      config: {},
      numTypes: 2,
      state: rates,
      weights: {},
    });
    expect(p.toArtifact()).toEqual({ kind: 'poisson', config: {}, numTypes: 2, state: rates, weights: {} });
    const attn = eventModelRegistry.create('attnhp', 2, { hidden: 4, heads: 2 });
    const saved = attn.toArtifact();
    const { nullKey: _n, typedQueries: _t, ...older } = saved.config;
    const loaded = eventModelRegistry.fromArtifact({ ...saved, config: older });
    expect(loaded.toArtifact().config).toMatchObject({ nullKey: false, typedQueries: false, hidden: 4 });
    const h = eventModelRegistry.fromArtifact({
      kind: 'hawkes',
      config: { params: DEFAULT_HAWKES },
      numTypes: 3,
      state: {},
      weights: {},
    });
    expect(h.intensity({ times: [1], types: [0] }, 2)).toHaveLength(3);
    for (const m of [p, attn, loaded, h]) m.dispose();
  });
});
