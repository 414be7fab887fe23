import { readModelArtifact, writeModelArtifact } from '@seqcast/kit';
import type { Seq2SeqArtifact, Seq2SeqModel } from '@seqcast/forecast';
import type { ArtifactStore } from '@seqcast/tensor';

/** The dataset columns a seq2seq model was trained on: requests give channels in this order. */
export interface Seq2SeqColumns {
  inputColumns: string[];
  targetColumns: string[];
  ratio: number;
}

/** Saves a fitted seq2seq model as the kit's manifest, its dataset's columns as the data schema. */
export async function saveSeq2SeqModel(
  store: ArtifactStore,
  model: Seq2SeqModel,
  columns: Seq2SeqColumns,
  metrics: Record<string, number>,
): Promise<string> {
  return (await writeModelArtifact(store, model.toArtifact(), { dataSchema: columns, metrics })).id;
}

export async function loadSeq2SeqArtifact(
  store: ArtifactStore,
  id: string,
): Promise<{ artifact: Seq2SeqArtifact; columns: Seq2SeqColumns }> {
  const { manifest, artifact } = await readModelArtifact(store, id, 'seq2seq');
  return { artifact, columns: manifest.dataSchema as Seq2SeqColumns };
}
