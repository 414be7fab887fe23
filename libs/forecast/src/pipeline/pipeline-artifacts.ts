import type { ArtifactManifest, ArtifactStore } from '@seqcast/tensor';
import { readForecasterArtifact } from '../artifacts/forecaster-artifacts';
import type { ForecasterRegistry } from '../registry/forecaster-registry';
import { ScaledForecaster } from './scaled-forecaster';

/**
 * Loads a model with its pipeline. Artifacts saved before the pipeline kept the scales in
 * the manifest's `scaler` field; they load into the same pipeline and forecast identically.
 */
export async function loadScaledForecaster(
  store: ArtifactStore,
  id: string,
  registry: ForecasterRegistry,
): Promise<{ manifest: ArtifactManifest; model: ScaledForecaster }> {
  const { manifest, artifact } = await readForecasterArtifact(store, id);
  return {
    manifest,
    model: ScaledForecaster.fromArtifact(artifact, (a) => registry.fromArtifact(a), manifest.scaler),
  };
}
