// @seqcast/numeric: the one numeric layer (seeded Rng, quantiles, least squares and
// Cholesky, erf / fastExp / GELU, error accumulators). Pure functions over typed arrays:
// no tfjs, no Nest.
export {};
