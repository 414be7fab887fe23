import type { EventSequence } from '@seqcast/events';
import { settleJob, TestApi } from './api';

/**
 * Uploads event sequences as an events dataset named 'hawkes': CSV rows (seq, time, type) with
 * sequence i named `s<i>` and each type by its name in `typeNames`. Returns the dataset's id.
 */
export async function uploadEventSequences(
  api: TestApi,
  sequences: EventSequence[],
  typeNames: string[],
): Promise<string> {
  const csv = [
    'seq,time,type',
    ...sequences.flatMap((s, i) => s.times.map((t, j) => `s${i},${t},${typeNames[s.types[j]]}`)),
  ].join('\n');
  const r = await api
    .http()
    .post('/datasets?name=hawkes&kind=events&sequenceColumn=seq&timeColumn=time&typeColumn=type')
    .set('content-type', 'text/csv')
    .send(csv);
  expect(r.status).toBe(201);
  return r.body.id;
}

/** Creates an event model of `kind` on the dataset and trains it with `seed`; fails the spec if training fails. */
export async function trainedEventModel(
  api: TestApi,
  datasetId: string,
  kind: string,
  config: Record<string, unknown>,
  seed: number,
  ms = 120000,
): Promise<string> {
  const m = (await api.http().post('/event-models').send({ kind, datasetId, config }).expect(201)).body;
  const job = (await api.http().post(`/event-models/${m.id}/train`).send({ seed }).expect(202)).body;
  const done = await settleJob(api, job.id, ms);
  expect(done.error).toBeNull();
  return m.id as string;
}
