import { SEQCAST_VERSION, Unprocessable } from '@seqcast/core';
import { MemoryArtifactFiles } from '../testing/memory-artifact-files';
import { decodeFloat32, encodeFloat32 } from './float32-weights';
import { ARTIFACT_FORMAT_VERSION } from './model-artifact';
import { readModelArtifact, writeModelArtifact } from './model-artifact-io';

const tensors = () => ({
  w: { shape: [2, 3], values: Float32Array.from([1.5, -2.25, 3.125, 1e-7, -0, 65504]) },
  b: { shape: [1], values: Float32Array.from([Math.PI]) },
  empty: { shape: [0, 4], values: new Float32Array(0) },
});

describe('float32 weights', () => {
  it('lay out as little-endian float32 in key order (the layout of tf.io.encodeWeights)', () => {
    const { specs, data } = encodeFloat32(tensors());
    expect(specs).toEqual([
      { name: 'w', shape: [2, 3], dtype: 'float32' },
      { name: 'b', shape: [1], dtype: 'float32' },
      { name: 'empty', shape: [0, 4], dtype: 'float32' },
    ]);
    const view = new DataView(data);
    expect(data.byteLength).toBe(28);
    expect(view.getFloat32(0, true)).toBe(1.5);
    expect(view.getFloat32(20, true)).toBe(65504);
    expect(view.getFloat32(24, true)).toBe(Math.fround(Math.PI));
    const back = decodeFloat32(specs, [data.slice(0, 10), data.slice(10)], 'x');
    expect(back).toEqual(tensors());
    expect(Object.is(back.w.values[4], -0)).toBe(true);
  });

  it('refuse a shape that does not hold the values, other dtypes and a short buffer', () => {
    expect(() => encodeFloat32({ w: { shape: [2, 2], values: new Float32Array(3) } })).toThrow(/3 values/);
    expect(() => decodeFloat32([{ name: 'i', shape: [1], dtype: 'int32' }], new ArrayBuffer(4), 'x')).toThrow(
      Unprocessable,
    );
    expect(() =>
      decodeFloat32([{ name: 'w', shape: [2], dtype: 'float32' }], new ArrayBuffer(4), 'x'),
    ).toThrow(/damaged/);
  });
});

describe('model artifacts', () => {
  it('round-trip family, kind, config, JSON state and tensors bit for bit, with the versions that wrote them', async () => {
    const files = new MemoryArtifactFiles();
    const config = { lags: 3, loss: 'huber', weights: [0.1, 0.2] };
    const state = { intercept: 0.25, coefficients: [1, -1], scaler: { mean: 2 } };
    const manifest = await writeModelArtifact(
      files,
      { family: 'series', kind: 'toy', config, state, tensors: tensors() },
      { id: 'toy-1', metrics: { mse: 0.5 }, scaler: { s: 1 } },
    );
    expect(manifest).toMatchObject({ id: 'toy-1', kind: 'toy', metrics: { mse: 0.5 }, scaler: { s: 1 } });
    const { artifact } = await readModelArtifact(files, 'toy-1', 'series');
    expect(artifact).toEqual({
      family: 'series',
      kind: 'toy',
      formatVersion: ARTIFACT_FORMAT_VERSION,
      config,
      state,
      tensors: tensors(),
      versions: { node: '20.0.0', seqcast: SEQCAST_VERSION },
    });
  });

  it('reads format 1 (no family; numTypes beside config and state goes into the state)', async () => {
    const files = new MemoryArtifactFiles();
    const save = files.saveHandler(
      { kind: 'rmtpp', config: { config: { hidden: 4 }, numTypes: 3, state: { timeScale: 1.5 } } },
      'old',
    );
    const { specs, data } = encodeFloat32({ b: tensors().b });
    await save.save({ weightSpecs: specs, weightData: data });
    const { artifact } = await readModelArtifact(files, 'old', 'events');
    expect(artifact).toMatchObject({
      family: 'events',
      kind: 'rmtpp',
      formatVersion: 1,
      config: { hidden: 4 },
      state: { numTypes: 3, timeScale: 1.5 },
      tensors: { b: tensors().b },
      versions: { node: '20.0.0' },
    });
  });

  it('refuses an artifact of another family, of a newer format, or with no config', async () => {
    const files = new MemoryArtifactFiles();
    await writeModelArtifact(
      files,
      { family: 'events', kind: 'k', config: {}, state: {}, tensors: {} },
      { id: 'ev' },
    );
    await expect(readModelArtifact(files, 'ev', 'series')).rejects.toThrow(/not of series/);
    await files
      .saveHandler({ kind: 'k', config: { family: 'series', formatVersion: 99, config: {} } }, 'new')
      .save({});
    await expect(readModelArtifact(files, 'new', 'series')).rejects.toThrow(/format 99/);
    await files.saveHandler({ kind: 'k', config: 7 }, 'bare').save({});
    await expect(readModelArtifact(files, 'bare', 'series')).rejects.toBeInstanceOf(Unprocessable);
  });
});
