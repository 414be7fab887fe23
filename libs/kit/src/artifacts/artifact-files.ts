/**
 * The part of libs/tensor's ArtifactStore the kit writes through (structurally: the kit
 * imports nothing but @seqcast/core). Weights travel as tfjs's IOHandler artifacts do:
 * weight specs and one buffer.
 */
export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: unknown;
}

export interface StoredWeights {
  weightSpecs?: WeightSpec[];
  weightData?: ArrayBuffer | ArrayBuffer[];
}

/** What the store keeps beside the weights. */
export interface StoredMeta {
  kind: string;
  config: unknown;
  scaler?: unknown;
  dataSchema?: unknown;
  metrics?: Record<string, number>;
}

export interface StoredManifest extends StoredMeta {
  id: string;
  createdAt: string;
  backend: string;
  packageVersions: Record<string, string>;
  weightSpecs: WeightSpec[];
}

export interface ArtifactFiles {
  saveHandler(
    meta: StoredMeta,
    id?: string,
  ): { readonly id: string; save?(weights: StoredWeights): Promise<unknown> };
  loadHandler(id: string): { load?(): Promise<StoredWeights> };
  manifest(id: string): Promise<StoredManifest>;
}
