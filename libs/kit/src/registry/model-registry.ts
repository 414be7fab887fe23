import { ValidationFailed } from '@seqcast/core';
import type { ConfigOf, SchemaFields } from '../schema/field-spec';
import type {
  Capability,
  ModelDefinition,
  ModelDescription,
  ModelFamily,
  ModelRoles,
} from './model-definition';
import { checkRoles } from './check-roles';

export interface ModelRegistryOptions<A> {
  family: ModelFamily;
  /** What an unknown kind is called in errors: 'model kind', 'calibration method'. */
  noun: string;
  /** The request field an unknown kind is reported on (default 'kind'). */
  kindField?: string;
  /** Prefix of config errors (default 'config'). */
  configField?: string;
  /** Where an artifact names its kind (default `artifact.kind`), and the field reported when unknown. */
  artifactKind?: { of(artifact: A): unknown; field: string };
}

/**
 * kind -> definition (schema, roles, capabilities, factory, artifact loader): the one
 * registry shape of every family. HTTP, CLI and jobs go through a registry, never
 * through a switch on kinds. Kinds list in registration order.
 */
export class ModelRegistry<M, A, I = void, D extends ModelDefinition<M, A, I> = ModelDefinition<M, A, I>> {
  private readonly defs = new Map<string, D>();

  constructor(readonly options: ModelRegistryOptions<A>) {}

  get family(): ModelFamily {
    return this.options.family;
  }

  register(def: D): this {
    if (def.family !== this.family)
      throw new Error(`'${def.kind}' is a ${def.family} model, not one of ${this.family}`);
    if (this.defs.has(def.kind)) throw new Error(`Kind '${def.kind}' is already registered`);
    checkRoles(def.kind, def.roles, def.schema.fields);
    this.defs.set(def.kind, def);
    return this;
  }

  kinds(): string[] {
    return [...this.defs.keys()];
  }

  has(kind: unknown): boolean {
    return typeof kind === 'string' && this.defs.has(kind);
  }

  /** The definition of a kind; ValidationFailed naming `field` (and the known kinds) if there is none. */
  definition(kind: unknown, field = this.options.kindField ?? 'kind'): D {
    const def = typeof kind === 'string' ? this.defs.get(kind) : undefined;
    if (!def) {
      const known = this.kinds().join(', ');
      throw new ValidationFailed(`Unknown ${this.options.noun} ${JSON.stringify(kind)} (known: ${known})`, [
        { field, reason: `must be one of ${known}` },
      ]);
    }
    return def;
  }

  roles(kind: string): ModelRoles {
    return { ...this.definition(kind).roles };
  }

  can(kind: string, capability: Capability): boolean {
    return this.definition(kind).capabilities.includes(capability);
  }

  describe(kind: string): ModelDescription {
    const def = this.definition(kind);
    return {
      family: def.family,
      kind: def.kind,
      title: def.title,
      description: def.description,
      roles: { ...def.roles },
      capabilities: [...def.capabilities],
      configSchema: def.schema.toJsonSchema(),
      defaults: def.schema.defaults() as Record<string, unknown>,
    };
  }

  describeAll(): ModelDescription[] {
    return this.kinds().map((k) => this.describe(k));
  }

  /** Defaults filled in and validated; ValidationFailed naming each bad field. */
  validate(
    kind: unknown,
    raw: unknown,
    prefix = this.options.configField ?? 'config',
  ): Record<string, unknown> {
    const def = this.definition(kind);
    return def.schema.parse(raw, def.kind, prefix) as Record<string, unknown>;
  }

  create(kind: unknown, raw: unknown, input: I): M {
    const def = this.definition(kind);
    return def.create(
      def.schema.parse(raw, def.kind, this.options.configField) as ConfigOf<SchemaFields>,
      input,
    );
  }

  /** Rebuilds a saved model: the definition is found by the artifact's kind. */
  fromArtifact(artifact: A): M {
    const where = this.options.artifactKind;
    const kind = where ? where.of(artifact) : (artifact as { kind?: unknown } | null)?.kind;
    return this.definition(kind, where?.field ?? 'artifact.kind').fromArtifact(artifact);
  }
}
