import { ValidationFailed } from '@seqcast/core';
import type { Forecaster, ForecasterArtifact } from '../forecaster';
import type { ConfigOf, ConfigSchema, JsonSchema, SchemaFields } from './config-schema';

/** What a model kind registers: its schema, a factory and the artifact loader. */
export interface ForecasterDefinition<F extends SchemaFields = SchemaFields> {
  kind: string;
  title: string;
  description: string;
  /** true when fit trains tfjs weights (slow, worth a job and a worker thread). */
  trained: boolean;
  schema: ConfigSchema<F>;
  create(config: ConfigOf<F>): Forecaster;
  fromArtifact(artifact: ForecasterArtifact): Forecaster;
}

export interface ForecasterDescription {
  kind: string;
  title: string;
  description: string;
  trained: boolean;
  configSchema: JsonSchema;
  defaults: Record<string, unknown>;
}

/**
 * kind -> model class and config schema. HTTP, CLI and jobs go through this, never
 * through a switch on kinds.
 */
export class ForecasterRegistry {
  private readonly defs = new Map<string, ForecasterDefinition>();

  register<F extends SchemaFields>(def: ForecasterDefinition<F>): this {
    if (this.defs.has(def.kind)) throw new Error(`Forecaster kind '${def.kind}' is already registered`);
    this.defs.set(def.kind, def as unknown as ForecasterDefinition);
    return this;
  }

  kinds(): string[] {
    return [...this.defs.keys()].sort();
  }

  has(kind: string): boolean {
    return this.defs.has(kind);
  }

  private get(kind: string, field = 'kind'): ForecasterDefinition {
    const def = this.defs.get(kind);
    if (!def) {
      throw new ValidationFailed(`Unknown model kind '${kind}'`, [
        { field, reason: `must be one of ${this.kinds().join(', ')}` },
      ]);
    }
    return def;
  }

  describe(kind: string): ForecasterDescription {
    const def = this.get(kind);
    return {
      kind: def.kind,
      title: def.title,
      description: def.description,
      trained: def.trained,
      configSchema: def.schema.toJsonSchema(),
      defaults: def.schema.defaults() as Record<string, unknown>,
    };
  }

  describeAll(): ForecasterDescription[] {
    return this.kinds().map((k) => this.describe(k));
  }

  /** Validates a raw config (defaults filled in); throws ValidationFailed naming each bad field. */
  validate(kind: string, config?: unknown): Record<string, unknown> {
    return this.get(kind).schema.parse(config, kind) as Record<string, unknown>;
  }

  create(kind: string, config?: unknown): Forecaster {
    const def = this.get(kind);
    return def.create(def.schema.parse(config, kind));
  }

  fromArtifact(artifact: ForecasterArtifact): Forecaster {
    return this.get(artifact.kind, 'artifact.kind').fromArtifact(artifact);
  }
}
