import { Unprocessable } from '@seqcast/core';
import type { WeightSpec } from './artifact-files';
import type { Float32Tensor } from './model-artifact';

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Named float32 tensors as weight specs and one buffer, laid out as tf.io.encodeWeights
 * does (in key order, little-endian float32, no padding), so tfjs reads them back.
 */
export function encodeFloat32(tensors: Record<string, Float32Tensor>): {
  specs: WeightSpec[];
  data: ArrayBuffer;
} {
  const entries = Object.entries(tensors);
  let total = 0;
  for (const [name, t] of entries) {
    if (t.values.length !== size(t.shape))
      throw new Error(`Tensor '${name}' has ${t.values.length} values for shape [${t.shape.join(', ')}]`);
    total += t.values.length;
  }
  const all = new Float32Array(total);
  const specs: WeightSpec[] = [];
  let at = 0;
  for (const [name, t] of entries) {
    all.set(t.values, at);
    at += t.values.length;
    specs.push({ name, shape: t.shape.slice(), dtype: 'float32' });
  }
  return { specs, data: all.buffer };
}

/** The inverse of encodeFloat32 (and of tf.io.encodeWeights on float32 tensors); copies the values. */
export function decodeFloat32(
  specs: WeightSpec[],
  data: ArrayBuffer | ArrayBuffer[],
  id: string,
): Record<string, Float32Tensor> {
  const buffer = Array.isArray(data) ? concat(data) : data;
  const out: Record<string, Float32Tensor> = {};
  let offset = 0;
  for (const spec of specs) {
    if (spec.dtype !== 'float32' || spec.quantization) {
      throw new Unprocessable(
        `Artifact '${id}' holds a ${spec.dtype} tensor '${spec.name}'; models store float32`,
        [{ field: 'id', reason: 'unsupported weights' }],
      );
    }
    const bytes = 4 * size(spec.shape);
    if (offset + bytes > buffer.byteLength)
      throw new Unprocessable(`Artifact '${id}' is damaged: weights end before '${spec.name}'`, [
        { field: 'id', reason: 'damaged weights' },
      ]);
    out[spec.name] = {
      shape: spec.shape.slice(),
      values: new Float32Array(buffer.slice(offset, offset + bytes)),
    };
    offset += bytes;
  }
  return out;
}

function concat(parts: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out.buffer;
}
