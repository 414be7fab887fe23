import { eventModelRegistry } from '@seqcast/events';
import { ArtifactStore, kernelTierName, selectBackend } from '@seqcast/tensor';
import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import * as path from 'path';
import { loadEventArtifact, saveEventModel } from './event-artifacts';

// An RMTPP artifact written by the code before the model kit (format 1), with the
// log-likelihood that code gave on fixed test sequences: it must load and score the same.
const FIXTURES = path.join(__dirname, '../../../../test/fixtures/artifacts-v1');
const read = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

// Bit for bit on the kernel tier the fixture was recorded on (native AVX-512); on another
// tier float32 sums round differently (the old code's too): equal to float32 precision.
const RECORDED_ON = 'native-avx512';
function expectSameLikelihood(result: object, want: Record<string, number>): void {
  const got = result as Record<string, number>;
  if (kernelTierName() === RECORDED_ON) return void expect(got).toEqual(want);
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const k of Object.keys(want))
    expect(Math.abs(got[k] - want[k])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[k])));
}

describe('event model artifacts of format 1', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it('an RMTPP artifact loads with its time scale and gives the same log-likelihood', async () => {
    const { eventSequences } = read('inputs.json') as {
      eventSequences: Array<{ times: number[]; types: number[] }>;
    };
    const { storedId, logLikelihood } = read('expected.json')['event-rmtpp'];
    const { artifact, timeScale } = await loadEventArtifact(new ArtifactStore(FIXTURES), storedId);
    expect(timeScale).toEqual({ scale: 2.5, timestamps: false, typeNames: ['a', 'b', 'c'] });
    const model = eventModelRegistry.fromArtifact(artifact);
    expectSameLikelihood(
      model.logLikelihood({ numTypes: 3, sequences: eventSequences }, { seed: 0 }),
      logLikelihood,
    );
    model.dispose();
  });

  it('saved again in the kit format, it reloads with the same types, state, weights and log-likelihood', async () => {
    const { eventSequences } = read('inputs.json');
    const { storedId, logLikelihood } = read('expected.json')['event-rmtpp'];
    const old = await loadEventArtifact(new ArtifactStore(FIXTURES), storedId);
    const model = eventModelRegistry.fromArtifact(old.artifact);
    const dir = mkdtempSync(path.join(tmpdir(), 'seqcast-events-'));
    try {
      const store = new ArtifactStore(dir);
      const id = await saveEventModel(store, model, old.timeScale, { ll: logLikelihood.perEvent });
      const manifest = await store.manifest(id);
      expect(manifest.config).toMatchObject({ family: 'events', formatVersion: 2, state: { numTypes: 3 } });
      const again = await loadEventArtifact(store, id);
      expect(again.timeScale).toEqual(old.timeScale);
      // the config as saved, with the defaults of fields added since (steps, earlyStopping, ...)
      expect(again.artifact).toEqual({ ...old.artifact, config: expect.objectContaining(old.artifact.config) });
      const copy = eventModelRegistry.fromArtifact(again.artifact);
      expectSameLikelihood(
        copy.logLikelihood({ numTypes: 3, sequences: eventSequences }, { seed: 0 }),
        logLikelihood,
      );
      copy.dispose();
    } finally {
      model.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
