import { NotFound, ValidationFailed } from '@seqcast/core';
import {
  Capability,
  ConfigSchema,
  ModelDefinition,
  ModelDescription,
  ModelRegistry,
  SchemaFields,
  withDefaults,
} from '@seqcast/kit';
import { PoissonModel } from './baselines/poisson';
import { attentionFields, headsDivideHidden, neuralTrainingFields, randomTimeShiftField, rnnFields } from './config-schema';
import { HawkesModel } from './hawkes/hawkes-model';
import { HawkesParams } from './hawkes/hawkes-params';
import { hyproFields } from './hypro/hypro-config';
import { HyproModel } from './hypro/hypro-model';
import { AttNhpModel } from './models/attnhp';
import { FullyNnModel } from './models/fullynn';
import { IntensityFreeModel } from './models/intensity-free';
import { NhpModel } from './models/nhp';
import { RmtppModel } from './models/rmtpp';
import { SahpModel } from './models/sahp';
import { ThpModel } from './models/thp';
import { EachNextPredictions } from './sampling/predict';
import { EventModel, EventModelArtifact, EventSequence } from './types';

/** Every registered model also predicts at each position of a sequence in one pass (evaluation). */
export type RegisteredEventModel = EventModel & {
  predictEachNext(
    sequences: EventSequence[],
    options?: { samples?: number; seed?: number },
  ): EachNextPredictions;
  loadArtifact?(a: EventModelArtifact): void;
};

/** The kit's definition for the events family; creating needs the number of event types. */
export interface EventModelDefinition extends ModelDefinition<
  RegisteredEventModel,
  EventModelArtifact,
  number
> {
  /** Config values an artifact without the field was trained with (fields added later). */
  artifactDefaults?: Record<string, unknown>;
}

/** IntensityFree's encoder: a GRU (the paper's and EasyTPP's), on the cosine schedule. */
function intensityFreeTraining(defaults: Parameters<typeof neuralTrainingFields>[0]) {
  return {
    ...neuralTrainingFields({ ...defaults, schedule: 'cosine' }),
    ...rnnFields,
    cell: { ...rnnFields.cell, default: 'gru' },
  } as const satisfies SchemaFields;
}

/**
 * Plain IntensityFree: the paper's training (lr 0.001, weight decay 1e-5, type embedding
 * 32, early stopping on the dev LL) with 32 components, up to 3300 steps (cosine over
 * them; 300 epochs of the Hawkes benchmark's 700 sequences). These reach gaps of 0.024 on
 * the Hawkes benchmark over three seeds, where 8 components at lr 0.005 for 30 epochs gave
 * 0.026-0.027, and a higher earthquake LL (docs/benchmarks.md, runs AE-AH).
 */
const plainIntensityFreeFields = {
  ...withDefaults(
    intensityFreeTraining({ learningRate: 0.001, steps: 3300, patience: 20, weightDecay: 1e-5 }),
    { embDim: 32 },
  ),
  components: { type: 'integer', default: 32, minimum: 1, maximum: 128, description: 'mixture components' },
} as const satisfies SchemaFields;

/** AttNHP's options (HYPRO's base takes the same). */
const attnhpFields = {
  // what reaches the true process within 0.02 on the Hawkes benchmark (docs/benchmarks.md)
  ...neuralTrainingFields({ learningRate: 0.01, schedule: 'cosine' }),
  ...withDefaults(attentionFields, { layers: 1 }),
  nullKey: {
    type: 'boolean',
    default: true,
    description: "attention weights exp(s) / (1 + sum exp(s)), the paper's; false: softmax",
  },
  typedQueries: {
    type: 'boolean',
    default: false,
    description:
      'one query per type at each time, as the paper (K times slower; no better on the Hawkes benchmark); false: one type-free query',
  },
} as const satisfies SchemaFields;

const NEURAL: readonly Capability[] = ['trained', 'probabilistic'];

/**
 * A definition of the events family: sized by the number of types, loaded by creating then
 * loading the weights. Exported so a plugin (SEQCAST_PLUGINS) registers a kind in one line:
 * `eventModelRegistry.register(eventModel({...}))`.
 */
export function eventModel(d: {
  kind: string;
  title: string;
  description: string;
  schema: ConfigSchema;
  capabilities?: readonly Capability[];
  artifactDefaults?: Record<string, unknown>;
  create(numTypes: number, config: Record<string, unknown>): RegisteredEventModel;
}): EventModelDefinition {
  const def: EventModelDefinition = {
    family: 'events',
    kind: d.kind,
    title: d.title,
    description: d.description,
    schema: d.schema,
    roles: { numTypes: 'numTypes' },
    capabilities: d.capabilities ?? NEURAL,
    artifactDefaults: d.artifactDefaults,
    create: (config, numTypes) => d.create(numTypes, config),
    fromArtifact: (a) => {
      const config = d.schema.parse({ ...d.artifactDefaults, ...a.config }, d.kind);
      const m = def.create(config, checkNumTypes(a.numTypes));
      if (!m.loadArtifact) throw new NotFound(`Kind ${a.kind} cannot load artifacts`);
      m.loadArtifact(a);
      return m;
    },
  };
  return def;
}

const schema = (fields: SchemaFields, kind?: string) =>
  new ConfigSchema(fields, kind ? headsDivideHidden(kind) : undefined);

const definitions: EventModelDefinition[] = [
  eventModel({
    kind: 'rmtpp',
    title: 'RMTPP',
    description: 'RMTPP: RNN, exponential-in-time intensity, exact integral',
    schema: schema({ ...neuralTrainingFields({ learningRate: 0.01 }), ...rnnFields }),
    create: (K, c) => new RmtppModel(K, c as never),
  }),
  eventModel({
    kind: 'nhp',
    title: 'NHP',
    description: 'Neural Hawkes process: continuous-time LSTM',
    schema: schema(neuralTrainingFields({ learningRate: 0.01, hidden: 32 })),
    create: (K, c) => new NhpModel(K, c as never),
  }),
  eventModel({
    kind: 'thp',
    title: 'THP',
    description: 'Transformer Hawkes process',
    schema: schema(
      {
        // attention trains better after a warm-up (the Transformer's schedule, THP's too)
        ...neuralTrainingFields({ learningRate: 0.005, schedule: 'warmup-cosine' }),
        ...attentionFields,
        ...randomTimeShiftField,
        currentInfluence: {
          type: 'string',
          default: 'gap',
          enum: ['gap', 'relative'],
          description:
            "elapsed-time term: 'gap' alpha (t - t_j); 'relative' the paper's alpha (t - t_j) / (t_j + 1)",
        },
      },
      'thp',
    ),
    create: (K, c) => new ThpModel(K, c as never),
  }),
  eventModel({
    kind: 'sahp',
    title: 'SAHP',
    description: 'Self-attentive Hawkes process',
    // cosine without THP's warm-up: with it the Hawkes gap was 0.031, without 0.028 (docs/benchmarks.md)
    schema: schema({ ...neuralTrainingFields({ learningRate: 0.005 }), ...attentionFields, ...randomTimeShiftField }, 'sahp'),
    create: (K, c) => new SahpModel(K, c as never),
  }),
  eventModel({
    kind: 'attnhp',
    title: 'AttNHP',
    description: 'Attentive neural Hawkes process: attention queried at the sample time',
    schema: schema(attnhpFields, 'attnhp'),
    // artifacts saved before these fields existed were trained without them
    artifactDefaults: { nullKey: false, typedQueries: false },
    create: (K, c) => new AttNhpModel(K, c as never),
  }),
  eventModel({
    kind: 'hypro',
    title: 'HYPRO',
    description: 'HYPRO: an AttNHP base proposes continuations, an energy network keeps the most real-looking (long horizons)',
    schema: schema({ ...attnhpFields, ...hyproFields }, 'hypro'),
    create: (K, c) => new HyproModel(K, c as never),
  }),
  eventModel({
    kind: 'fullynn',
    title: 'FullyNN',
    description: 'FullyNN: monotone network for the cumulative hazard, exact integral',
    schema: schema({
      ...neuralTrainingFields({ learningRate: 0.01 }),
      ...rnnFields,
      hazardUnits: {
        type: 'integer',
        default: 32,
        minimum: 2,
        maximum: 512,
        description: 'units of the cumulative-hazard network',
      },
      markHead: {
        type: 'string',
        default: 'softmax',
        enum: ['softmax', 'hazard'],
        description:
          'softmax: one cumulative hazard for the time, the type from a softmax on the history; hazard: one monotone output per type (collapses to the majority class)',
      },
    }),
    // artifacts saved before markHead existed have one hazard output per type
    artifactDefaults: { markHead: 'hazard' },
    create: (K, c) => new FullyNnModel(K, c as never),
  }),
  eventModel({
    kind: 'intensity_free',
    title: 'IntensityFree',
    description: 'IntensityFree: log-normal mixture for the gap, exact likelihood and sampling',
    schema: schema(plainIntensityFreeFields),
    create: (K, c) => new IntensityFreeModel(K, c as never, false),
  }),
  eventModel({
    kind: 'intensity_free_joint',
    title: 'IntensityFree (joint)',
    description: 'IntensityFree with time-mark inter-dependence: a log-normal mixture per mark',
    schema: schema({
      ...intensityFreeTraining({ learningRate: 0.005 }),
      components: {
        type: 'integer',
        default: 4,
        minimum: 1,
        maximum: 128,
        description: 'mixture components per mark',
      },
    }),
    create: (K, c) => new IntensityFreeModel(K, c as never, true),
  }),
  eventModel({
    kind: 'poisson',
    title: 'Poisson',
    description: 'Homogeneous Poisson baseline (rate per type by maximum likelihood)',
    schema: schema({}),
    capabilities: ['probabilistic'],
    create: (K, c) => new PoissonModel(K, c),
  }),
];

function checkNumTypes(numTypes: unknown): number {
  if (!(Number.isInteger(numTypes) && (numTypes as number) >= 1))
    throw new ValidationFailed('numTypes must be a positive integer', [
      { field: 'numTypes', reason: 'must be a positive integer' },
    ]);
  return numTypes as number;
}

const registry = definitions.reduce(
  (r, d) => r.register(d),
  new ModelRegistry<RegisteredEventModel, EventModelArtifact, number, EventModelDefinition>({
    family: 'events',
    noun: 'event model kind',
  }),
);

/**
 * kind -> class and config schema: the kit's registry for the events family. HTTP, CLI
 * and jobs create and load event models here, never by switching on kinds. `hawkes`
 * (known parameters, ground truth) is created with `createHawkes`, since its config is
 * the process itself.
 */
export const eventModelRegistry = {
  registry,
  /** Adds a kind (built-ins are registered above; plugins call this from their module). */
  register(def: EventModelDefinition): void {
    registry.register(def);
  },
  kinds(): string[] {
    return registry.kinds();
  },
  definition(kind: string): EventModelDefinition {
    return registry.definition(kind);
  },
  /** Defaults filled in, every bad field named (ValidationFailed, details [{ field, reason }]). */
  resolveConfig(kind: string, config: unknown): Record<string, unknown> {
    return registry.validate(kind, config);
  },
  /**
   * `config` with its seed set to `seed` where the kind has one (the neural kinds; the
   * closed-form fits have nothing random): how a training job's and an evaluation's seed
   * reach the model alike.
   */
  withSeed(kind: string, config: Record<string, unknown>, seed: number): Record<string, unknown> {
    return 'seed' in registry.definition(kind).schema.fields ? { ...config, seed } : config;
  },
  create(kind: string, numTypes: number, config: unknown = {}): RegisteredEventModel {
    checkNumTypes(numTypes);
    return registry.create(kind, config, numTypes);
  },
  createHawkes(params: HawkesParams): HawkesModel {
    return new HawkesModel(params);
  },
  /** Rebuilds a trained model from `toArtifact()` output. */
  fromArtifact(a: EventModelArtifact): RegisteredEventModel {
    if (!a || typeof a.kind !== 'string')
      throw new ValidationFailed('Not an event model artifact', [{ field: 'kind', reason: 'missing' }]);
    if (a.kind === 'hawkes') return new HawkesModel((a.config as { params: HawkesParams }).params);
    return registry.fromArtifact(a);
  },
  /** Kinds with their JSON schemas, roles and capabilities (GET /event-models/kinds). */
  describe(): ModelDescription[] {
    return registry.describeAll();
  },
};
