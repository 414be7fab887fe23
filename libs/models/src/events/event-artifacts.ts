import type { EventModelArtifact, RegisteredEventModel, TimeUnit } from '@seqcast/events';
import { readModelArtifact, writeModelArtifact } from '@seqcast/kit';
import type { ArtifactStore } from '@seqcast/tensor';

/** How event times of a dataset map to the model's time unit: model time = (t - 0) / scale. */
export interface EventTimeScale {
  /**
   * Raw dataset time units per model time unit: 1000 for timestamped datasets (milliseconds
   * to seconds), 1 otherwise; artifacts trained before `unit` existed hold the mean training gap.
   */
  scale: number;
  /** The unit the model sees times in, and its reported LL is per event in (absent: older artifacts, model units). */
  unit?: TimeUnit;
  /** Dataset times are UTC milliseconds (timestamps) rather than plain numbers. */
  timestamps: boolean;
  typeNames: string[];
}

/**
 * Saves an event model as the kit's manifest (family 'events'): the number of types goes
 * into the JSON state beside the model's data-derived constants, the weights are the
 * float32 tensors, the time scale is the store's `scaler`.
 */
export async function saveEventModel(
  store: ArtifactStore,
  model: RegisteredEventModel,
  timeScale: EventTimeScale,
  metrics: Record<string, number>,
): Promise<string> {
  const a = model.toArtifact();
  const tensors: Record<string, { shape: number[]; values: Float32Array }> = {};
  for (const [k, w] of Object.entries(a.weights))
    tensors[k] = { shape: w.shape.slice(), values: Float32Array.from(w.values as ArrayLike<number>) };
  const manifest = await writeModelArtifact(
    store,
    {
      family: 'events',
      kind: a.kind,
      config: a.config,
      state: { numTypes: a.numTypes, ...a.state },
      tensors,
    },
    { scaler: timeScale, metrics },
  );
  return manifest.id;
}

/** Reads an event model artifact (of this format or the one before the kit); no model built. */
export async function loadEventArtifact(
  store: ArtifactStore,
  id: string,
): Promise<{ artifact: EventModelArtifact; timeScale: EventTimeScale }> {
  const { manifest, artifact } = await readModelArtifact(store, id, 'events');
  const { numTypes, ...state } = artifact.state as Record<string, number>;
  return {
    artifact: { kind: artifact.kind, config: artifact.config, numTypes, state, weights: artifact.tensors },
    timeScale: manifest.scaler as EventTimeScale,
  };
}
