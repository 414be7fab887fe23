/** In-memory seq2seq sequences, as generators and models hold them. */
export interface Seq2SeqCsvInput {
  /** [sequence][channel] at the input rate. */
  inputs: ArrayLike<number>[][];
  /** [sequence][channel] at the output rate (length = input length / ratio). */
  targets: ArrayLike<number>[][];
  ratio: number;
  inputColumns: string[];
  targetColumns: string[];
  /** Sequence keys (default s0, s1, ...). */
  keys?: string[];
}

/**
 * The CSV lines of a seq2seq upload (header first): `sequence,step,<inputs>,<targets>`, one
 * row per input step, the targets on each chunk's last row and empty on the others, as a
 * `kind=seq2seq` upload with `sequenceColumn=sequence&timeColumn=step` reads them back.
 * A generator, so a large set streams to a file line by line.
 */
export function* seq2seqCsvLines(set: Seq2SeqCsvInput): Generator<string> {
  const names = [...set.inputColumns, ...set.targetColumns];
  if (names.some((n) => /[",\n]/.test(n)) || names.includes('sequence') || names.includes('step'))
    throw new Error(`column names must be plain and not 'sequence' or 'step': ${names.join(', ')}`);
  yield ['sequence', 'step', ...names].join(',');
  for (let s = 0; s < set.inputs.length; s++) {
    const key = set.keys?.[s] ?? `s${s}`;
    const x = set.inputs[s];
    const y = set.targets[s];
    for (let t = 0; t < x[0].length; t++) {
      const end = (t + 1) % set.ratio === 0;
      const k = (t + 1) / set.ratio - 1;
      yield [key, t, ...x.map((c) => c[t]), ...y.map((c) => (end ? c[k] : ''))].join(',');
    }
  }
}
