import type {
  ArtifactFiles,
  StoredManifest,
  StoredMeta,
  StoredWeights,
  WeightSpec,
} from '../artifacts/artifact-files';

/** ArtifactFiles in memory, for the kit's own specs (the real store lives in libs/tensor). */
export class MemoryArtifactFiles implements ArtifactFiles {
  readonly saved = new Map<string, { manifest: StoredManifest; data: ArrayBuffer }>();
  private next = 0;

  saveHandler(meta: StoredMeta, id = `artifact-${++this.next}`) {
    return {
      id,
      save: async (w: StoredWeights) => {
        const data = Array.isArray(w.weightData) ? new ArrayBuffer(0) : (w.weightData ?? new ArrayBuffer(0));
        const manifest: StoredManifest = {
          ...JSON.parse(JSON.stringify(meta)),
          id,
          createdAt: '2026-01-01T00:00:00.000Z',
          backend: 'memory',
          packageVersions: { node: '20.0.0' },
          weightSpecs: (w.weightSpecs ?? []) as WeightSpec[],
        };
        this.saved.set(id, { manifest, data: data.slice(0) });
      },
    };
  }

  loadHandler(id: string) {
    return {
      load: async (): Promise<StoredWeights> => {
        const a = this.get(id);
        return { weightSpecs: a.manifest.weightSpecs, weightData: a.data.slice(0) };
      },
    };
  }

  async manifest(id: string): Promise<StoredManifest> {
    return JSON.parse(JSON.stringify(this.get(id).manifest)) as StoredManifest;
  }

  private get(id: string) {
    const a = this.saved.get(id);
    if (!a) throw new Error(`no artifact ${id}`);
    return a;
  }
}
