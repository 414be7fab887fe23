/**
 * Float arrays inside an artifact's JSON state, as base64 of their little-endian bytes:
 * exact (a Float64 Gram matrix must survive save/load bit for bit, or an update after a
 * reload would not equal one before it) and 3x shorter than decimal numbers.
 */
export function floatsToBase64(values: Float64Array | Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function base64ToFloat64(text: string): Float64Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float64Array(bytes.byteLength / 8);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

export function base64ToFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const out = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}
