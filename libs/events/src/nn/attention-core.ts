/**
 * Multi-head prefix attention on row-major Float32Arrays: q [B, Q, d], k and v [B, N, d]
 * -> [B, Q, d]. Heads are column blocks (head h = columns h * dh .. (h + 1) * dh - 1,
 * dh = d / heads), each attending by softmax(q . k / sqrt(dh)) over keys 0..limit of its
 * query (PrefixLimits; -1: no keys, zero output). With nullKey each softmax has one more
 * key of score 0 and value 0, so the weights sum to less than 1 and the output can grow
 * with the number of strong keys (AttNHP's normaliser, 1 + sum exp). `forward` keeps what
 * `backward` needs; `backward` takes dL/dout and gives the gradients of q, k and v.
 */
export interface AttentionCore {
  forward(qs: Float32Array, ks: Float32Array, vs: Float32Array): Float32Array;
  backward(g: Float32Array): { dq: Float32Array; dk: Float32Array; dv: Float32Array };
}
