import { SEQCAST_VERSION, Unprocessable } from '@seqcast/core';
import type { ModelFamily } from '../registry/model-definition';
import type { ArtifactFiles } from './artifact-files';
import { decodeFloat32, encodeFloat32 } from './float32-weights';
import { ARTIFACT_FORMAT_VERSION, ModelArtifact, NewModelArtifact } from './model-artifact';

/** What the store keeps beside the model: the data's scaling and schema, scores. */
export interface ArtifactExtras {
  id?: string;
  scaler?: unknown;
  dataSchema?: unknown;
  metrics?: Record<string, number>;
}

/**
 * The kit's block inside the store's manifest (its `config`). Its formatVersion is the
 * model manifest's; the store's top-level formatVersion is its own file layout.
 */
interface StoredModel {
  family?: ModelFamily;
  formatVersion?: number;
  config?: Record<string, unknown>;
  state?: Record<string, unknown>;
  versions?: Record<string, string>;
  [legacy: string]: unknown;
}

/** The manifest type of a store (libs/tensor's ArtifactStore: its ArtifactManifest). */
export type ManifestOf<F extends ArtifactFiles> = Awaited<ReturnType<F['manifest']>>;

/** Writes a model of any family through the artifact store; returns the store's manifest. */
export async function writeModelArtifact<F extends ArtifactFiles>(
  files: F,
  artifact: NewModelArtifact,
  extras: ArtifactExtras = {},
): Promise<ManifestOf<F>> {
  const { specs, data } = encodeFloat32(artifact.tensors);
  const stored: StoredModel = {
    family: artifact.family,
    formatVersion: ARTIFACT_FORMAT_VERSION,
    config: artifact.config,
    state: artifact.state,
    versions: { seqcast: SEQCAST_VERSION },
  };
  const handler = files.saveHandler(
    {
      kind: artifact.kind,
      config: stored,
      scaler: extras.scaler,
      dataSchema: extras.dataSchema,
      metrics: extras.metrics,
    },
    extras.id,
  );
  if (!handler.save) throw new Error('The artifact store cannot save');
  await handler.save({ weightSpecs: specs, weightData: data });
  return (await files.manifest(handler.id)) as ManifestOf<F>;
}

/**
 * Reads a model artifact of `family`, of this format or of format 1 (written before the
 * kit: no family, the config under `config`, the JSON state under `state`, and, for event
 * models, `numTypes` beside them, which is read into the state).
 */
export async function readModelArtifact<F extends ArtifactFiles>(
  files: F,
  id: string,
  family: ModelFamily,
): Promise<{ manifest: ManifestOf<F>; artifact: ModelArtifact }> {
  const manifest = (await files.manifest(id)) as ManifestOf<F>;
  const stored = manifest.config as StoredModel | undefined;
  if (!stored || typeof stored !== 'object' || !stored.config || typeof stored.config !== 'object') {
    throw new Unprocessable(`Artifact '${id}' is not a model artifact (no config)`, [
      { field: 'id', reason: 'not a model artifact' },
    ]);
  }
  const formatVersion = stored.formatVersion ?? 1;
  if (formatVersion > ARTIFACT_FORMAT_VERSION)
    throw new Unprocessable(
      `Artifact '${id}' has format ${formatVersion}; this version reads up to ${ARTIFACT_FORMAT_VERSION}`,
      [{ field: 'id', reason: 'newer artifact format' }],
    );
  const storedFamily = formatVersion === 1 ? family : stored.family;
  if (storedFamily !== family)
    throw new Unprocessable(`Artifact '${id}' holds a model of ${String(storedFamily)}, not of ${family}`, [
      { field: 'id', reason: `not a ${family} model` },
    ]);
  const loader = files.loadHandler(id);
  if (!loader.load) throw new Error('The artifact store cannot load');
  const weights = await loader.load();
  const { config, state, versions } = stored;
  // format 1 kept what it had beside config and state (numTypes) at the top
  const legacy =
    formatVersion === 1
      ? Object.fromEntries(Object.entries(stored).filter(([k]) => k !== 'config' && k !== 'state'))
      : {};
  return {
    manifest,
    artifact: {
      family,
      kind: manifest.kind,
      formatVersion,
      config: config as Record<string, unknown>,
      state: { ...legacy, ...state },
      tensors: decodeFloat32(weights.weightSpecs ?? [], weights.weightData ?? new ArrayBuffer(0), id),
      versions: { ...manifest.packageVersions, ...versions },
    },
  };
}
