import type { ModelFamily } from '../registry/model-definition';

/** The manifest format the kit writes (1: the forecaster and event writers before the kit). */
export const ARTIFACT_FORMAT_VERSION = 2;

/** A named float32 tensor of an artifact, backend-free. */
export interface Float32Tensor {
  shape: number[];
  values: Float32Array;
}

/**
 * Everything needed to rebuild a fitted model of any family, as one manifest: the
 * registry finds the class by family and kind; `state` is JSON (closed-form
 * coefficients, data-derived constants), `tensors` the float32 weights; `versions` are
 * the packages that wrote it, so a model that stops loading can be traced.
 */
export interface ModelArtifact {
  family: ModelFamily;
  kind: string;
  formatVersion: number;
  config: Record<string, unknown>;
  state: Record<string, unknown>;
  tensors: Record<string, Float32Tensor>;
  versions: Record<string, string>;
}

/** What a model hands to the writer; the writer adds the format and versions. */
export type NewModelArtifact = Omit<ModelArtifact, 'formatVersion' | 'versions'>;
