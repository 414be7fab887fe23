import { readModelArtifact, writeModelArtifact } from '@seqcast/kit';
import type { ArtifactManifest, ArtifactStore } from '@seqcast/tensor';
import type { Forecaster, ForecasterArtifact } from '../forecaster';
import type { ForecasterRegistry } from '../registry/forecaster-registry';

export interface SaveForecasterOptions {
  id?: string;
  scaler?: unknown;
  dataSchema?: unknown;
  metrics?: Record<string, number>;
}

/** Writes a fitted model as the kit's manifest (family 'series') through the ArtifactStore. */
export async function saveForecaster(
  store: ArtifactStore,
  model: Forecaster,
  options: SaveForecasterOptions = {},
): Promise<ArtifactManifest> {
  const { kind, config, state, tensors } = model.toArtifact();
  return writeModelArtifact(store, { family: 'series', kind, config, state, tensors }, options);
}

/** Reads an artifact (of this format or the one before the kit) into a ForecasterArtifact; no model built. */
export async function readForecasterArtifact(
  store: ArtifactStore,
  id: string,
): Promise<{ manifest: ArtifactManifest; artifact: ForecasterArtifact }> {
  const { manifest, artifact } = await readModelArtifact(store, id, 'series');
  const { kind, config, state, tensors } = artifact;
  return { manifest, artifact: { kind, config, state, tensors } };
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
