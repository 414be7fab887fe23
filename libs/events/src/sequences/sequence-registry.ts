import { ValidationFailed } from '@seqcast/core';
import { ConfigSchema, ModelDefinition, ModelDescription, ModelRegistry, SchemaFields } from '@seqcast/kit';
import { ColesModel } from './coles';
import { EncoderFactory, NeuralSequenceModel, SequenceArtifact } from './neural-sequence-model';
import { colesFields, mtandFields, sequenceTrainingFields, transformerFields } from './sequence-config';
import { gruEncoder, meanPoolEncoder, mtandEncoder, transformerEncoder } from './sequence-encoders';
import type { SequenceSchema } from './types';

export type SequenceModelDefinition = ModelDefinition<NeuralSequenceModel, SequenceArtifact, SequenceSchema>;

function definition(d: {
  kind: string;
  title: string;
  description: string;
  fields: SchemaFields;
  create(schema: SequenceSchema, config: Record<string, unknown>): NeuralSequenceModel;
}): SequenceModelDefinition {
  const schema = new ConfigSchema(d.fields, (c) =>
    c.heads !== undefined && d.kind === 'transformer' && (c.hidden as number) % (c.heads as number) !== 0
      ? [{ field: 'heads', reason: `must divide hidden (${c.hidden as number})` }]
      : c.minFraction !== undefined && (c.minFraction as number) > (c.maxFraction as number)
        ? [{ field: 'minFraction', reason: 'must not exceed maxFraction' }]
        : [],
  );
  return {
    family: 'sequences',
    kind: d.kind,
    title: d.title,
    description: d.description,
    schema,
    roles: {},
    capabilities: ['trained'],
    create: (config, s) => d.create(s, config),
    fromArtifact: (a) => {
      const m = d.create(a.schema, schema.parse(a.config, d.kind, 'artifact.config'));
      m.loadArtifact(a);
      return m;
    },
  };
}

const neural = (kind: string, encoder: EncoderFactory) => (s: SequenceSchema, c: Record<string, unknown>) =>
  new NeuralSequenceModel(kind, s, c as never, encoder);

const definitions: SequenceModelDefinition[] = [
  definition({
    kind: 'gru',
    title: 'GRU',
    description: 'GRU over the events; the state after the last event feeds a linear head',
    fields: sequenceTrainingFields,
    create: neural('gru', gruEncoder),
  }),
  definition({
    kind: 'transformer',
    title: 'Transformer',
    description:
      'Bidirectional Transformer encoder with a learned time embedding; mean over events, linear head',
    fields: transformerFields,
    create: neural('transformer', transformerEncoder),
  }),
  definition({
    kind: 'mean_pool_mlp',
    title: 'Mean-pool MLP',
    description:
      'Baseline: a ReLU layer per event, mean over events, a ReLU layer and a linear head (order-blind)',
    fields: sequenceTrainingFields,
    create: neural('mean_pool_mlp', meanPoolEncoder),
  }),
  definition({
    kind: 'coles',
    title: 'CoLES',
    description:
      'GRU pretrained contrastively on random slices of the sequences, then a linear head on the frozen encoder',
    fields: colesFields,
    create: (s, c) => new ColesModel(s, c as never),
  }),
  definition({
    kind: 'mtand',
    title: 'mTAND',
    description:
      'Multi-time attention to fixed reference times (learned time embedding), a GRU over them, linear head',
    fields: mtandFields,
    create: neural('mtand', mtandEncoder),
  }),
];

function checkSchema(s: SequenceSchema): SequenceSchema {
  const details: { field: string; reason: string }[] = [];
  if (s?.task !== 'classification' && s?.task !== 'regression')
    details.push({ field: 'task', reason: "'classification' or 'regression'" });
  if (s?.task === 'classification' && !(Number.isInteger(s.numClasses) && s.numClasses! >= 2))
    details.push({ field: 'numClasses', reason: 'an integer of at least 2' });
  if (!(Number.isInteger(s?.numericFeatures) && s.numericFeatures >= 0))
    details.push({ field: 'numericFeatures', reason: 'a non-negative integer' });
  if (
    !Array.isArray(s?.categoricalCardinalities) ||
    s.categoricalCardinalities.some((c) => !(Number.isInteger(c) && c >= 1))
  )
    details.push({ field: 'categoricalCardinalities', reason: 'a list of positive integers' });
  if (details.length) throw new ValidationFailed('Invalid sequence schema', details);
  return s;
}

const registry = definitions.reduce(
  (r, d) => r.register(d),
  new ModelRegistry<NeuralSequenceModel, SequenceArtifact, SequenceSchema, SequenceModelDefinition>({
    family: 'sequences',
    noun: 'sequence model kind',
  }),
);

/**
 * kind -> class and config schema for sequence-level models (EBES's classification and
 * regression of whole sequences), the kit's registry: the evaluation runner, HTTP and CLI
 * create these models here.
 */
export const sequenceModelRegistry = {
  registry,
  register(def: SequenceModelDefinition): void {
    registry.register(def);
  },
  kinds(): string[] {
    return registry.kinds();
  },
  /** Defaults filled in, every bad field named (ValidationFailed, details [{ field, reason }]). */
  resolveConfig(kind: string, config: unknown): Record<string, unknown> {
    return registry.validate(kind, config);
  },
  create(kind: string, schema: SequenceSchema, config: unknown = {}): NeuralSequenceModel {
    return registry.create(kind, config, checkSchema(schema));
  },
  fromArtifact(a: SequenceArtifact): NeuralSequenceModel {
    if (!a || typeof a !== 'object' || a.family !== 'sequences')
      throw new ValidationFailed('Not a sequence model artifact', [
        { field: 'artifact.family', reason: "must be 'sequences'" },
      ]);
    return registry.fromArtifact(a);
  },
  describe(): ModelDescription[] {
    return registry.describeAll();
  },
};
