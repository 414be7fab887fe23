import { csvRecords } from '@seqcast/data';

/** Input sequences read from a file, with the keys of CSV sequences (in first-seen order). */
export interface InputSequences {
  keys: string[];
  /** [sequence][input column][step], as POST /seq2seq-models/:id/predict takes them. */
  inputs: number[][][];
}

/**
 * The input sequences of a CSV in the upload layout (one row per input step, a sequence
 * column, the input columns; other columns such as targets are ignored): rows are grouped by
 * sequence in file order. The server checks the values; this only finds the columns.
 */
export async function inputsFromCsv(
  text: AsyncIterable<string>,
  sequenceColumn: string,
  inputColumns: string[],
): Promise<InputSequences> {
  const records = csvRecords(text)[Symbol.asyncIterator]();
  const head = await records.next();
  if (head.done) throw new Error('the CSV is empty');
  const header = head.value.map((h) => h.trim());
  const at = (name: string) => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`the CSV has no column ${name} (columns: ${header.join(', ')})`);
    return i;
  };
  const key = at(sequenceColumn);
  const cols = inputColumns.map(at);
  const bySequence = new Map<string, number[][]>();
  for (let r = await records.next(); !r.done; r = await records.next()) {
    const row = r.value;
    let seq = bySequence.get(row[key]);
    if (!seq) bySequence.set(row[key], (seq = cols.map(() => [])));
    cols.forEach((c, i) => seq[i].push(row[c] === '' ? NaN : Number(row[c])));
  }
  return { keys: [...bySequence.keys()], inputs: [...bySequence.values()] };
}

/** JSON input sequences: a bare [sequence][column][step] array or a predict body {inputs}. */
export function inputsFromJson(text: string): InputSequences {
  const parsed = JSON.parse(text) as unknown;
  const inputs = (Array.isArray(parsed) ? parsed : (parsed as { inputs?: unknown })?.inputs) as number[][][];
  if (!Array.isArray(inputs))
    throw new Error('the JSON file holds neither an array of sequences nor {inputs: [...]}');
  return { keys: inputs.map((_, i) => String(i)), inputs };
}

/**
 * Predictions as CSV in the upload layout: `sequence,step,<targets>`, one row per output
 * step at the input step that ends its chunk (k ratio + ratio - 1).
 */
export function* predictionLines(
  keys: string[],
  predictions: number[][][],
  targetColumns: string[],
  ratio: number,
): Generator<string> {
  yield ['sequence', 'step', ...targetColumns].join(',');
  for (let s = 0; s < predictions.length; s++)
    for (let k = 0; k < (predictions[s][0]?.length ?? 0); k++)
      yield [keys[s], (k + 1) * ratio - 1, ...predictions[s].map((c) => c[k])].join(',');
}
