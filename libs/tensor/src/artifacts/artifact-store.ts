import { Conflict, NotFound, ValidationFailed } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import { packageVersions } from './package-versions';

/** What is known about a trained model besides its weights. */
export interface ArtifactMeta {
  /** Registry kind, e.g. `spacetime`; loading finds the class by this name. */
  kind: string;
  config: unknown;
  scaler?: unknown;
  dataSchema?: unknown;
  metrics?: Record<string, number>;
}

export interface ArtifactManifest extends ArtifactMeta {
  formatVersion: 1;
  id: string;
  createdAt: string;
  /** Backend that trained it (weights are backend-neutral float32). */
  backend: string;
  packageVersions: Record<string, string>;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightBytes: number;
  /** tfjs-layers topology when the weights came from a LayersModel. */
  modelTopology?: unknown;
}

const MANIFEST = 'manifest.json';
const WEIGHTS = 'weights.bin';
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/**
 * Model artifacts on the file system: `<root>/<id>/{manifest.json, weights.bin}`.
 *
 * An artifact is written into a temporary sibling directory and renamed into place, so
 * a crash leaves either the whole artifact or nothing under its id. The weights go
 * through a tfjs IOHandler, so both `model.save(store.saveHandler(...))` for layers
 * models and plain named tensors (`saveTensors`) end up in the same format.
 */
export class ArtifactStore {
  readonly root: string;

  /** `root`: the configured artifacts folder (dataPaths(config).artifacts); nothing is read from the environment here. */
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private dir(id: string): string {
    if (!ID_PATTERN.test(id))
      throw new ValidationFailed(`Invalid artifact id '${id}'`, [
        { field: 'id', reason: 'letters, digits, . _ - only' },
      ]);
    return path.join(this.root, id);
  }

  /** An IOHandler that saves into a new artifact (for LayersModel.save). `id` defaults to a UUID. */
  saveHandler(meta: ArtifactMeta, id: string = randomUUID()): tf.io.IOHandler & { readonly id: string } {
    return {
      id,
      save: async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
        const weights = artifacts.weightData ? toArrayBuffer(artifacts.weightData) : new ArrayBuffer(0);
        await this.write(
          id,
          meta,
          artifacts.weightSpecs ?? [],
          weights,
          artifacts.modelTopology ?? undefined,
        );
        return {
          modelArtifactsInfo: {
            dateSaved: new Date(),
            modelTopologyType: 'JSON',
            weightDataBytes: weights.byteLength,
            weightSpecsBytes: JSON.stringify(artifacts.weightSpecs ?? []).length,
          },
        };
      },
    };
  }

  /** An IOHandler that loads an artifact (for tf.loadLayersModel). */
  loadHandler(id: string): tf.io.IOHandler {
    return {
      load: async (): Promise<tf.io.ModelArtifacts> => {
        const { manifest, weightData } = await this.read(id);
        return {
          modelTopology: manifest.modelTopology as tf.io.ModelArtifacts['modelTopology'],
          weightSpecs: manifest.weightSpecs,
          weightData,
        };
      },
    };
  }

  /** Saves named tensors (a model's variables) with their manifest; returns the manifest. */
  async saveTensors(
    meta: ArtifactMeta,
    tensors: tf.NamedTensorMap,
    id: string = randomUUID(),
  ): Promise<ArtifactManifest> {
    const { data, specs } = await tf.io.encodeWeights(tensors);
    return this.write(id, meta, specs, toArrayBuffer(data));
  }

  /** Loads the named tensors of an artifact (caller disposes them). */
  async loadTensors(id: string): Promise<{ manifest: ArtifactManifest; tensors: tf.NamedTensorMap }> {
    const { manifest, weightData } = await this.read(id);
    return { manifest, tensors: tf.io.decodeWeights(weightData, manifest.weightSpecs) };
  }

  async manifest(id: string): Promise<ArtifactManifest> {
    const file = path.join(this.dir(id), MANIFEST);
    try {
      return JSON.parse(await fs.readFile(file, 'utf8')) as ArtifactManifest;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFound(`No artifact '${id}'`, [{ field: 'id', reason: 'not found' }]);
      throw e;
    }
  }

  async list(): Promise<string[]> {
    try {
      const entries = await fs.readdir(this.root, { withFileTypes: true });
      return entries
        .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
        .map((e) => e.name)
        .sort();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  /** Bytes on disk of an artifact's files (404 when there is no such artifact). */
  async sizeOf(id: string): Promise<number> {
    const dir = this.dir(id);
    try {
      let total = 0;
      for (const e of await fs.readdir(dir, { withFileTypes: true }))
        if (e.isFile()) total += (await fs.stat(path.join(dir, e.name))).size;
      return total;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT')
        throw new NotFound(`No artifact '${id}'`, [{ field: 'id', reason: 'not found' }]);
      throw e;
    }
  }

  async remove(id: string): Promise<void> {
    await fs.rm(this.dir(id), { recursive: true, force: true });
  }

  private async read(id: string): Promise<{ manifest: ArtifactManifest; weightData: ArrayBuffer }> {
    const manifest = await this.manifest(id);
    const buf = await fs.readFile(path.join(this.dir(id), WEIGHTS));
    if (buf.byteLength !== manifest.weightBytes) {
      throw new ValidationFailed(
        `Artifact '${id}' is damaged: weights are ${buf.byteLength} bytes, manifest says ${manifest.weightBytes}`,
      );
    }
    const weightData = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
    return { manifest, weightData };
  }

  private async write(
    id: string,
    meta: ArtifactMeta,
    weightSpecs: tf.io.WeightsManifestEntry[],
    weights: ArrayBuffer,
    modelTopology?: unknown,
  ): Promise<ArtifactManifest> {
    const target = this.dir(id);
    const manifest: ArtifactManifest = {
      formatVersion: 1,
      id,
      kind: meta.kind,
      config: meta.config,
      scaler: meta.scaler,
      dataSchema: meta.dataSchema,
      metrics: meta.metrics,
      createdAt: new Date().toISOString(),
      backend: tf.getBackend(),
      packageVersions: packageVersions(),
      weightSpecs,
      weightBytes: weights.byteLength,
      modelTopology,
    };
    await fs.mkdir(this.root, { recursive: true });
    const tmp = path.join(this.root, `.tmp-${id}-${randomUUID()}`);
    await fs.mkdir(tmp);
    try {
      await fs.writeFile(path.join(tmp, WEIGHTS), Buffer.from(weights));
      await fs.writeFile(path.join(tmp, MANIFEST), JSON.stringify(manifest, null, 2));
      await fs.rename(tmp, target);
    } catch (e) {
      await fs.rm(tmp, { recursive: true, force: true });
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTEMPTY' || code === 'EEXIST') {
        throw new Conflict(`Artifact '${id}' already exists`, [{ field: 'id', reason: 'already exists' }]);
      }
      throw e;
    }
    return manifest;
  }
}
