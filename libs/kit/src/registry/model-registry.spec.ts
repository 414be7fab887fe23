import { validationFailure } from '../testing/validation-failure';
import { ConfigSchema } from '../schema/config-schema';
import type { ModelDefinition } from './model-definition';
import { ModelRegistry } from './model-registry';

/** A toy family: y = slope * x, sized by a create input. */
interface Line {
  kind: string;
  slope: number;
  width: number;
}
interface LineArtifact {
  name: string;
  slope: number;
  width: number;
}

const schema = new ConfigSchema({
  slope: { type: 'number', default: 1, description: 'slope' },
  window: { type: 'integer', default: 3, minimum: 1, description: 'lookback' },
  steps: { type: 'integer', default: 2, minimum: 1, description: 'horizon' },
});

function definition(kind: string, extra: Partial<ModelDefinition<Line, LineArtifact, number>> = {}) {
  return {
    family: 'series',
    kind,
    title: kind.toUpperCase(),
    description: `the ${kind} model`,
    schema,
    roles: { lookback: 'window', horizon: 'steps' },
    capabilities: ['updatable'],
    create: (c: { slope: number }, width: number) => ({ kind, slope: c.slope, width }),
    fromArtifact: (a: LineArtifact) => ({ kind, slope: a.slope, width: a.width }),
    ...extra,
  } as ModelDefinition<Line, LineArtifact, number>;
}

const registry = () =>
  new ModelRegistry<Line, LineArtifact, number>({
    family: 'series',
    noun: 'line kind',
    artifactKind: { of: (a) => a.name, field: 'artifact.name' },
  })
    .register(definition('steep'))
    .register(definition('flat', { roles: {}, capabilities: ['trained', 'probabilistic'] }));

describe('ModelRegistry', () => {
  it('creates through the schema (defaults filled) with the create input', () => {
    expect(registry().create('steep', { slope: 2 }, 5)).toEqual({ kind: 'steep', slope: 2, width: 5 });
    expect(registry().create('flat', undefined, 1)).toEqual({ kind: 'flat', slope: 1, width: 1 });
    expect(validationFailure(() => registry().create('steep', { slope: 'x' }, 5)).details[0].field).toBe(
      'config.slope',
    );
  });

  it('reports an unknown kind on the kind field, listing the known ones in registration order', () => {
    const e = validationFailure(() => registry().create('curved', {}, 1));
    expect(e.details).toEqual([{ field: 'kind', reason: 'must be one of steep, flat' }]);
    expect(e.message).toBe('Unknown line kind "curved" (known: steep, flat)');
    expect(validationFailure(() => registry().definition(42)).details[0].field).toBe('kind');
    expect(registry().has('flat')).toBe(true);
    expect(registry().has(undefined)).toBe(false);
  });

  it('loads artifacts by the kind they name', () => {
    expect(registry().fromArtifact({ name: 'flat', slope: 3, width: 2 })).toEqual({
      kind: 'flat',
      slope: 3,
      width: 2,
    });
    expect(
      validationFailure(() => registry().fromArtifact({ name: 'x', slope: 0, width: 0 })).details[0].field,
    ).toBe('artifact.name');
  });

  it('describes kinds with roles, capabilities, JSON schema and defaults', () => {
    const r = registry();
    expect(r.describe('steep')).toEqual({
      family: 'series',
      kind: 'steep',
      title: 'STEEP',
      description: 'the steep model',
      roles: { lookback: 'window', horizon: 'steps' },
      capabilities: ['updatable'],
      configSchema: schema.toJsonSchema(),
      defaults: { slope: 1, window: 3, steps: 2 },
    });
    expect(r.describeAll().map((d) => d.kind)).toEqual(['steep', 'flat']);
    expect(r.roles('flat')).toEqual({});
    expect(r.can('flat', 'trained')).toBe(true);
    expect(r.can('steep', 'trained')).toBe(false);
  });

  it('refuses a duplicate kind, another family and roles that name no integer field', () => {
    expect(() => registry().register(definition('flat'))).toThrow(/already registered/);
    expect(() => registry().register(definition('ev', { family: 'events' }))).toThrow(/events model/);
    expect(() => registry().register(definition('typo', { roles: { lookback: 'windw' } }))).toThrow(
      /role lookback as 'windw'/,
    );
    expect(() => registry().register(definition('real', { roles: { horizon: 'slope' } }))).toThrow(
      /not an integer field/,
    );
    // a data-sized role names a create input, not a config field
    expect(() => registry().register(definition('sized', { roles: { numTypes: 'width' } }))).not.toThrow();
  });
});
