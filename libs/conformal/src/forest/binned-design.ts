/**
 * A binned design matrix: the code of row i, feature j is codes[offsets[j] + i].
 *
 * One layout serves both cases the lib needs. A general matrix stores its columns one
 * after another (offsets[j] = j * rows). SPCI's lagged-residual design, where feature j of
 * row i is residual r[i + j], needs no matrix at all: the codes of the residual series
 * itself with offsets[j] = j. Building it is O(n) instead of O(n w), and sliding the
 * series by one step changes nothing but the codes.
 */
export interface BinnedDesign {
  readonly rows: number;
  readonly features: number;
  readonly codes: Uint8Array;
  readonly offsets: Int32Array;
  /** Number of distinct codes (max code + 1) across features. */
  readonly bins: number;
}

export function laggedDesign(seriesCodes: Uint8Array, lag: number, rows: number, bins: number): BinnedDesign {
  const offsets = new Int32Array(lag);
  for (let j = 0; j < lag; j++) offsets[j] = j;
  return { rows, features: lag, codes: seriesCodes, offsets, bins };
}

export function columnDesign(
  columnCodes: Uint8Array,
  rows: number,
  features: number,
  bins: number,
): BinnedDesign {
  const offsets = new Int32Array(features);
  for (let j = 0; j < features; j++) offsets[j] = j * rows;
  return { rows, features, codes: columnCodes, offsets, bins };
}
