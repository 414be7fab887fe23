import { tempStore, ingestInput } from '../testing/ingest-helpers';
import { loadSeq2SeqSequences } from './load-seq2seq';
import { seq2seqCsvLines } from './seq2seq-csv';

/**
 * A seq2seq set written as CSV (targets on every ratio-th row), uploaded and read back: the
 * arrays are the ones written, value for value, whatever batches the CSV was cut into.
 */
describe('seq2seq datasets: CSV in, sequences out', () => {
  it('reads back the inputs and the targets at the output rate', async () => {
    const ratio = 3;
    const lengths = [6, 12, 3];
    const inputs = lengths.map((n, s) => [
      Float32Array.from({ length: n }, (_, t) => s * 100 + t + 0.25),
      Float32Array.from({ length: n }, (_, t) => -(t + 1) / 7),
    ]);
    const targets = lengths.map((n, s) => [
      Float32Array.from({ length: n / ratio }, (_, k) => s * 10 + k + 0.5),
    ]);
    const csv = [
      ...seq2seqCsvLines({
        inputs,
        targets,
        ratio,
        inputColumns: ['a', 'b'],
        targetColumns: ['v'],
        keys: ['p', 'q', 'r'],
      }),
    ].join('\n');
    const { store, cleanup } = await tempStore();
    try {
      const v = await ingestInput(store, csv, {
        format: 'csv',
        kind: 'seq2seq',
        roles: { sequenceColumn: 'sequence', timeColumn: 'step', targetColumns: ['v'], ratio },
      });
      expect(v.schema).toMatchObject({
        kind: 'seq2seq',
        inputColumns: ['a', 'b'],
        targetColumns: ['v'],
        ratio,
      });
      const back = await loadSeq2SeqSequences(store.readBatches(v.files), v.schema);
      expect(back.keys).toEqual(['p', 'q', 'r']);
      expect(back.inputs).toEqual(inputs);
      expect(back.targets).toEqual(targets);
    } finally {
      cleanup();
    }
  });
});
