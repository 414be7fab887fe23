import { ValidationFailed } from '@seqcast/core';
import {
  Capability,
  ConfigSchema,
  CrossCheck,
  ModelDefinition,
  ModelDescription,
  ModelRegistry,
  SchemaFields,
} from '@seqcast/kit';
import { CausalTransformerModel, FlatS4DModel, LstmSeq2SeqModel } from './flat-model';
import { HissModel } from './hiss';
import type { NeuralSeq2SeqModel } from './neural-seq2seq';
import { flatS4DFields, hissFields, lstmFields, transformerFields } from './seq2seq-config';
import type { Seq2SeqArtifact } from './types';

export type Seq2SeqDefinition = ModelDefinition<NeuralSeq2SeqModel, Seq2SeqArtifact, void>;

const TRAINED: readonly Capability[] = ['trained', 'multivariate', 'differentiable'];

function definition(d: {
  kind: string;
  title: string;
  description: string;
  schema: ConfigSchema;
  create(config: Record<string, unknown>): NeuralSeq2SeqModel;
}): Seq2SeqDefinition {
  return {
    family: 'seq2seq',
    kind: d.kind,
    title: d.title,
    description: d.description,
    schema: d.schema,
    roles: {},
    capabilities: TRAINED,
    create: (config) => d.create(config),
    fromArtifact: (a) => {
      const model = d.create(d.schema.parse(a.config, d.kind, 'artifact.config'));
      model.loadArtifact(a);
      return model;
    },
  };
}

const schema = (fields: SchemaFields, check?: CrossCheck<SchemaFields>) => new ConfigSchema(fields, check);

const definitions: Seq2SeqDefinition[] = [
  definition({
    kind: 'hiss',
    title: 'HiSS',
    description:
      'Hierarchical state space model: a low-level S4D stack over each chunk of `ratio` input steps, a high-level S4D stack over the chunk features, one output per chunk',
    schema: schema(hissFields),
    create: (c) => new HissModel(c as never),
  }),
  definition({
    kind: 'flat_s4d',
    title: 'Flat S4D',
    description:
      'Baseline: one S4D stack over the sequence at the output rate (or the input rate, read at chunk ends)',
    schema: schema(flatS4DFields),
    create: (c) => new FlatS4DModel(c as never),
  }),
  definition({
    kind: 'lstm',
    title: 'LSTM',
    description: 'Baseline: a stacked LSTM over the sequence at the output rate',
    schema: schema(lstmFields),
    create: (c) => new LstmSeq2SeqModel(c as never),
  }),
  definition({
    kind: 'causal_transformer',
    title: 'Causal Transformer',
    description: 'Baseline: a prenorm causal Transformer encoder over the sequence at the output rate',
    schema: schema(transformerFields, (c) =>
      (c.width as number) % (c.heads as number) === 0
        ? []
        : [{ field: 'heads', reason: `must divide width (${c.width as number})` }],
    ),
    create: (c) => new CausalTransformerModel(c as never),
  }),
];

const registry = definitions.reduce(
  (r, d) => r.register(d),
  new ModelRegistry<NeuralSeq2SeqModel, Seq2SeqArtifact, void, Seq2SeqDefinition>({
    family: 'seq2seq',
    noun: 'seq2seq model kind',
  }),
);

/**
 * kind -> class and config schema for the seq2seq family (HiSS and its flat baselines), the
 * kit's registry: HTTP, CLI and jobs create and load these models here.
 */
export const seq2seqRegistry = {
  registry,
  register(def: Seq2SeqDefinition): void {
    registry.register(def);
  },
  kinds(): string[] {
    return registry.kinds();
  },
  /** Defaults filled in, every bad field named (ValidationFailed, details [{ field, reason }]). */
  resolveConfig(kind: string, config: unknown): Record<string, unknown> {
    return registry.validate(kind, config);
  },
  create(kind: string, config: unknown = {}): NeuralSeq2SeqModel {
    return registry.create(kind, config, undefined);
  },
  /** Rebuilds a fitted model from `toArtifact()` output (or a kit artifact read from the store). */
  fromArtifact(a: Seq2SeqArtifact): NeuralSeq2SeqModel {
    if (!a || typeof a !== 'object' || a.family !== 'seq2seq')
      throw new ValidationFailed('Not a seq2seq model artifact', [
        { field: 'artifact.family', reason: "must be 'seq2seq'" },
      ]);
    return registry.fromArtifact(a);
  },
  describe(): ModelDescription[] {
    return registry.describeAll();
  },
};
