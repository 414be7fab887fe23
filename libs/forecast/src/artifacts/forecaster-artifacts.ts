import { Unprocessable } from '@seqcast/core';
import type { ArtifactManifest, ArtifactStore } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';
import type { Forecaster, ForecasterArtifact } from '../forecaster';
import type { ForecasterRegistry } from '../registry/forecaster-registry';

export interface SaveForecasterOptions {
  id?: string;
  scaler?: unknown;
  dataSchema?: unknown;
  metrics?: Record<string, number>;
}

/**
 * Writes a fitted model through the ArtifactStore: the manifest holds the kind and
 * `{config, state}` (JSON state of closed-form models), weights.bin the float32 tensors.
 */
export async function saveForecaster(
  store: ArtifactStore,
  model: Forecaster,
  options: SaveForecasterOptions = {},
): Promise<ArtifactManifest> {
  const artifact = model.toArtifact();
  const named: tf.NamedTensorMap = {};
  for (const [name, t] of Object.entries(artifact.tensors))
    named[name] = tf.tensor(t.values, t.shape, 'float32');
  try {
    return await store.saveTensors(
      {
        kind: artifact.kind,
        config: { config: artifact.config, state: artifact.state },
        scaler: options.scaler,
        dataSchema: options.dataSchema,
        metrics: options.metrics,
      },
      named,
      options.id,
    );
  } finally {
    tf.dispose(named);
  }
}

/** Reads an artifact back into a ForecasterArtifact (no model built). */
export async function readForecasterArtifact(
  store: ArtifactStore,
  id: string,
): Promise<{ manifest: ArtifactManifest; artifact: ForecasterArtifact }> {
  const { manifest, tensors } = await store.loadTensors(id);
  try {
    const meta = manifest.config as
      { config?: Record<string, unknown>; state?: Record<string, unknown> } | undefined;
    if (!meta || typeof meta !== 'object' || !meta.config) {
      throw new Unprocessable(`Artifact '${id}' is not a forecaster artifact (no config)`, [
        { field: 'id', reason: 'not a forecaster artifact' },
      ]);
    }
    const out: ForecasterArtifact = {
      kind: manifest.kind,
      config: meta.config,
      state: meta.state ?? {},
      tensors: {},
    };
    for (const [name, t] of Object.entries(tensors))
      out.tensors[name] = { shape: t.shape.slice(), values: t.dataSync() as Float32Array };
    return { manifest, artifact: out };
  } finally {
    tf.dispose(tensors);
  }
}

/** Loads a model: the registry finds the class by the manifest's kind. */
export async function loadForecaster(
  store: ArtifactStore,
  id: string,
  registry: ForecasterRegistry,
): Promise<{ manifest: ArtifactManifest; model: Forecaster }> {
  const { manifest, artifact } = await readForecasterArtifact(store, id);
  return { manifest, model: registry.fromArtifact(artifact) };
}
