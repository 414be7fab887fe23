import { eventModelRegistry } from '@seqcast/events';
import { ArtifactStore, selectBackend } from '@seqcast/tensor';
import { readFileSync } from 'fs';
import * as path from 'path';
import { loadEventArtifact } from './event-artifacts';

// An RMTPP artifact written by the code before the model kit (format 1), with the
// log-likelihood that code gave on fixed test sequences: it must load and score the same.
const FIXTURES = path.join(__dirname, '../../../../test/fixtures/artifacts-v1');
const read = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

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
    expect(model.logLikelihood({ numTypes: 3, sequences: eventSequences }, { seed: 0 })).toEqual(
      logLikelihood,
    );
    model.dispose();
  });
});
