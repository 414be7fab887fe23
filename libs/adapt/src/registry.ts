import { ConfigSchema, ModelDefinition, ModelRegistry } from '@seqcast/kit';
import type { Adapter, AdapterDescription, AdapterSetup, AdapterSnapshot } from './adapter';
import type { FrozenForecast } from './frozen-forecast';

/** What restoring an adapter needs: its snapshot and the frozen model it wraps. */
export interface AdapterRestore {
  snapshot: AdapterSnapshot;
  frozen: FrozenForecast;
}

/** A method as the kit's definition of the adapters family (kind = method name). */
export type AdapterDefinition = ModelDefinition<Adapter, AdapterRestore, AdapterSetup>;

/** Defines a method: options by schema, a factory and a restorer. */
export function adapterMethod(d: {
  method: string;
  title: string;
  description: string;
  schema: ConfigSchema;
  create(setup: AdapterSetup, options: Record<string, unknown>): Adapter;
  restore(snapshot: AdapterSnapshot, frozen: FrozenForecast): Adapter;
}): AdapterDefinition {
  return {
    family: 'adapters',
    kind: d.method,
    title: d.title,
    description: d.description,
    schema: d.schema,
    roles: {},
    capabilities: ['updatable'],
    create: (options, setup) => d.create(setup, options as Record<string, unknown>),
    fromArtifact: ({ snapshot, frozen }) => d.restore(snapshot, frozen),
  };
}

/**
 * The adapter methods by name. `create` validates options (ValidationFailed naming
 * `options.<field>`); `restore` rebuilds a series' adapter from its snapshot.
 */
export class AdapterRegistry {
  readonly kit = new ModelRegistry<Adapter, AdapterRestore, AdapterSetup, AdapterDefinition>({
    family: 'adapters',
    noun: 'adaptation method',
    kindField: 'method',
    configField: 'options',
    artifactKind: { of: (a) => a.snapshot.method, field: 'snapshot.method' },
  });

  register(def: AdapterDefinition): this {
    this.kit.register(def);
    return this;
  }

  methods(): string[] {
    return this.kit.kinds();
  }

  /** Options with defaults filled in; ValidationFailed naming the field when out of range. */
  options(method: unknown, options: unknown): Record<string, unknown> {
    return this.kit.definition(method).schema.parse(options ?? {}, String(method), 'options') as Record<
      string,
      unknown
    >;
  }

  create(method: unknown, options: unknown, setup: AdapterSetup): Adapter {
    const def = this.kit.definition(method);
    return def.create(this.options(method, options) as never, setup);
  }

  restore(snapshot: AdapterSnapshot, frozen: FrozenForecast): Adapter {
    return this.kit.definition(snapshot.method, 'snapshot.method').fromArtifact({ snapshot, frozen });
  }

  describe(): AdapterDescription[] {
    return this.methods().map((m) => {
      const def = this.kit.definition(m);
      return {
        method: m,
        title: def.title,
        description: def.description,
        options: def.schema.toJsonSchema(),
      };
    });
  }
}

/** The registry every caller uses; methods register in ./methods.ts. */
export const adapterRegistry = new AdapterRegistry();
