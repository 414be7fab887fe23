import type { ConfigSchema } from '../schema/config-schema';
import type { ConfigOf, JsonSchema, SchemaFields } from '../schema/field-spec';

/** The families of the zoo (the words the model rows use). */
export type ModelFamily = 'series' | 'events' | 'calibrators' | 'adapters' | 'seq2seq' | 'sequences';

/**
 * What a model can do, for code that must choose (a worker thread, an adapter, an
 * interval method) without knowing the kind.
 */
export type Capability =
  /** fit trains weights by gradient descent (slow: worth a job and a worker thread) */
  | 'trained'
  /** forecasts carry quantiles or sample paths, or the model is a distribution (event models) */
  | 'probabilistic'
  /** channels are modelled jointly (otherwise each channel on its own) */
  | 'multivariate'
  /** a differentiable forward on tensors (adapters run gradients through it) */
  | 'differentiable'
  /** `update(newObservations)` refits incrementally as truths arrive */
  | 'updatable'
  /** `generate(count, length, seed)` draws unconditional sample paths (LS4) */
  | 'generative'
  /** reads each observation's time: irregular series are fitted and forecast with their gaps (LS4) */
  | 'timed';

/**
 * The model's own words for the quantities callers set or read without knowing the kind:
 * each names the config field (or, for data-sized roles, the create input) that holds it.
 * A role a model does not declare, it does not have: nothing guesses by field name.
 */
export interface ModelRoles {
  /** Config field: steps of context a prediction reads. */
  lookback?: string;
  /** Config field: the horizon the model is trained for. */
  horizon?: string;
  /** Config field: the longest horizon a model with no trained horizon forecasts. */
  maxHorizon?: string;
  /** Create input: the number of event types (event models are sized by their data). */
  numTypes?: string;
}

export type RoleName = keyof ModelRoles;

/**
 * One kind of model, as every family registers it. `I` is what creating needs besides the
 * config (event models: the number of types; calibrators: the miscoverage levels).
 */
export interface ModelDefinition<M, A, I = void, F extends SchemaFields = SchemaFields> {
  family: ModelFamily;
  kind: string;
  title: string;
  description: string;
  schema: ConfigSchema<F>;
  roles: ModelRoles;
  capabilities: readonly Capability[];
  create(config: ConfigOf<F>, input: I): M;
  fromArtifact(artifact: A): M;
}

/** A definition as GET /<family>/kinds shows it. */
export interface ModelDescription {
  family: ModelFamily;
  kind: string;
  title: string;
  description: string;
  roles: ModelRoles;
  capabilities: Capability[];
  configSchema: JsonSchema;
  defaults: Record<string, unknown>;
}
