import { ModelDefinition, ModelDescription, ModelRegistry, SchemaFields } from '@seqcast/kit';
import type { Forecaster, ForecasterArtifact } from '../forecaster';

/** What a series model kind registers: the kit's definition (family 'series'). */
export type ForecasterDefinition<F extends SchemaFields = SchemaFields> = ModelDefinition<
  Forecaster,
  ForecasterArtifact,
  void,
  F
>;

export interface ForecasterDescription extends ModelDescription {
  /** true when fit trains tfjs weights (slow, worth a job and a worker thread). */
  trained: boolean;
}

/**
 * kind -> series model class, config schema and roles: the kit's registry for the series
 * family. HTTP, CLI and jobs go through this, never through a switch on kinds.
 */
export class ForecasterRegistry extends ModelRegistry<Forecaster, ForecasterArtifact> {
  constructor() {
    super({ family: 'series', noun: 'model kind' });
  }

  /** Kinds in alphabetical order. */
  override kinds(): string[] {
    return super.kinds().sort();
  }

  override describe(kind: string): ForecasterDescription {
    const d = super.describe(kind);
    return { ...d, trained: d.capabilities.includes('trained') };
  }

  override describeAll(): ForecasterDescription[] {
    return this.kinds().map((k) => this.describe(k));
  }

  /** Validates a raw config (defaults filled in); throws ValidationFailed naming each bad field. */
  override validate(kind: string, config?: unknown): Record<string, unknown> {
    return super.validate(kind, config);
  }

  override create(kind: string, config?: unknown): Forecaster {
    return super.create(kind, config, undefined);
  }
}
