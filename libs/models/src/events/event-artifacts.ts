import type { EventModelArtifact, RegisteredEventModel } from '@seqcast/events';
import type { ArtifactStore } from '@seqcast/tensor';
import * as tf from '@tensorflow/tfjs';

/** How event times of a dataset map to the model's time unit: model time = (t - 0) / scale. */
export interface EventTimeScale {
  /** Dataset time units per model time unit (the mean gap of the training sequences). */
  scale: number;
  /** Dataset times are UTC milliseconds (timestamps) rather than plain numbers. */
  timestamps: boolean;
  typeNames: string[];
}

/** Saves an event model through the ArtifactStore: weights as tensors, the rest in the manifest. */
export async function saveEventModel(
  store: ArtifactStore,
  model: RegisteredEventModel,
  timeScale: EventTimeScale,
  metrics: Record<string, number>,
): Promise<string> {
  const a = model.toArtifact();
  const named: tf.NamedTensorMap = {};
  for (const [k, w] of Object.entries(a.weights))
    named[k] = tf.tensor(Float32Array.from(w.values as ArrayLike<number>), w.shape, 'float32');
  try {
    const manifest = await store.saveTensors(
      {
        kind: a.kind,
        config: { config: a.config, numTypes: a.numTypes, state: a.state },
        scaler: timeScale,
        metrics,
      },
      named,
    );
    return manifest.id;
  } finally {
    tf.dispose(named);
  }
}

export async function loadEventArtifact(
  store: ArtifactStore,
  id: string,
): Promise<{ artifact: EventModelArtifact; timeScale: EventTimeScale }> {
  const { manifest, tensors } = await store.loadTensors(id);
  try {
    const meta = manifest.config as {
      config: Record<string, unknown>;
      numTypes: number;
      state: Record<string, number>;
    };
    const weights: EventModelArtifact['weights'] = {};
    for (const [k, t] of Object.entries(tensors))
      weights[k] = { shape: t.shape.slice(), values: t.dataSync() as Float32Array };
    return {
      artifact: {
        kind: manifest.kind,
        config: meta.config,
        numTypes: meta.numTypes,
        state: meta.state,
        weights,
      },
      timeScale: manifest.scaler as EventTimeScale,
    };
  } finally {
    tf.dispose(tensors);
  }
}
