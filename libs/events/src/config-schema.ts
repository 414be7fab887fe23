import { ErrorDetail, ValidationFailed } from '@seqcast/core';

export interface FieldSchema {
  type: 'integer' | 'number' | 'boolean' | 'enum';
  default: number | boolean | string;
  min?: number;
  max?: number;
  values?: readonly string[];
  description: string;
}

export type ConfigSchema = Record<string, FieldSchema>;

/**
 * Fills defaults and checks a model config against its schema; every bad or unknown
 * field is named in one ValidationFailed (details [{ field, reason }]).
 */
export function resolveConfig<T = Record<string, unknown>>(schema: ConfigSchema, input: unknown, prefix = 'config'): T {
  const details: ErrorDetail[] = [];
  if (input !== undefined && input !== null && (typeof input !== 'object' || Array.isArray(input))) {
    throw new ValidationFailed('The model config must be an object', [{ field: prefix, reason: 'must be an object' }]);
  }
  const given = (input ?? {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(given)) if (!(key in schema)) details.push({ field: `${prefix}.${key}`, reason: `unknown field (known: ${Object.keys(schema).join(', ')})` });
  for (const [key, f] of Object.entries(schema)) {
    const v = given[key];
    const field = `${prefix}.${key}`;
    if (v === undefined) {
      out[key] = f.default;
      continue;
    }
    if (f.type === 'boolean') {
      if (typeof v !== 'boolean') details.push({ field, reason: 'must be true or false' });
    } else if (f.type === 'enum') {
      if (typeof v !== 'string' || !f.values!.includes(v)) details.push({ field, reason: `must be one of ${f.values!.join(', ')}` });
    } else {
      if (typeof v !== 'number' || !Number.isFinite(v)) details.push({ field, reason: 'must be a finite number' });
      else if (f.type === 'integer' && !Number.isInteger(v)) details.push({ field, reason: 'must be an integer' });
      else if (f.min !== undefined && v < f.min) details.push({ field, reason: `must be >= ${f.min}` });
      else if (f.max !== undefined && v > f.max) details.push({ field, reason: `must be <= ${f.max}` });
    }
    out[key] = v;
  }
  if (details.length) throw new ValidationFailed('Invalid model config', details);
  return out as T;
}

/** Training and sampling fields shared by every neural event model. */
export function neuralTrainingSchema(defaults: Partial<Record<string, number>> = {}): ConfigSchema {
  const d = (k: string, v: number) => defaults[k] ?? v;
  return {
    epochs: { type: 'integer', default: d('epochs', 30), min: 1, max: 10000, description: 'training epochs' },
    batchSize: { type: 'integer', default: d('batchSize', 64), min: 1, max: 4096, description: 'sequences per batch' },
    learningRate: { type: 'number', default: d('learningRate', 0.01), min: 1e-7, max: 1, description: 'AdamW learning rate' },
    schedule: { type: 'enum', default: 'constant', values: ['constant', 'cosine'], description: 'learning-rate schedule (cosine: down to 5% of learningRate over the epochs)' },
    weightDecay: { type: 'number', default: d('weightDecay', 0), min: 0, max: 1, description: 'AdamW decoupled weight decay' },
    clipNorm: { type: 'number', default: d('clipNorm', 5), min: 0, description: 'global gradient-norm clip (0: off)' },
    patience: { type: 'integer', default: d('patience', 0), min: 0, description: 'early stopping on dev log-likelihood (0: off)' },
    seed: { type: 'integer', default: d('seed', 0), min: 0, description: 'initialisation, shuffling and integral points' },
    integralPoints: { type: 'integer', default: d('integralPoints', 5), min: 1, max: 200, description: 'Monte Carlo points per gap for the training integral (stratified)' },
    evalIntegralPoints: { type: 'integer', default: d('evalIntegralPoints', 20), min: 1, max: 1000, description: 'points per gap for reported log-likelihoods' },
    timeScale: { type: 'number', default: d('timeScale', 0), min: 0, description: 'internal time unit (0: mean training gap)' },
    hidden: { type: 'integer', default: d('hidden', 32), min: 2, max: 1024, description: 'hidden size' },
    numSamplesBoundary: { type: 'integer', default: 5, min: 2, max: 100, description: 'thinning: probe points for the bound' },
    overSampleRate: { type: 'number', default: 5, min: 1, max: 100, description: 'thinning: bound multiplier' },
    numExp: { type: 'integer', default: 500, min: 1, max: 100000, description: 'thinning: proposals per sample' },
    dtimeMax: { type: 'number', default: 0, min: 0, description: 'thinning: largest gap (0: 1.5 x largest training gap)' },
  };
}
