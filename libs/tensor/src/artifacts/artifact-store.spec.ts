import { Conflict, NotFound } from '@seqcast/core';
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { selectBackend } from '../backend/select-backend';
import { ArtifactStore } from './artifact-store';

describe('ArtifactStore', () => {
  let root: string;
  let store: ArtifactStore;
  const meta = {
    kind: 'linear-test',
    config: { units: 2 },
    scaler: { mean: 1, std: 2 },
    dataSchema: { columns: ['y'] },
    metrics: { mse: 0.5 },
  };

  beforeAll(async () => {
    await selectBackend('cpu');
  });
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'seqcast-artifacts-'));
    store = new ArtifactStore(root);
  });
  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });
  afterAll(async () => {
    await selectBackend('cpu');
  });

  it('saves named tensors with a manifest and loads them bit for bit', async () => {
    const w = tf.tensor2d([
      [1.5, -2.25],
      [3.125, 1e-7],
    ]);
    const b = tf.tensor1d([0.1, 0.2]);
    const manifest = await store.saveTensors(meta, { w, b }, 'model-1');
    expect(manifest).toMatchObject({
      id: 'model-1',
      kind: 'linear-test',
      backend: 'cpu',
      metrics: { mse: 0.5 },
      weightBytes: 24,
    });
    expect(manifest.packageVersions['@tensorflow/tfjs-core']).toMatch(/^4\./);
    expect((await fs.readdir(path.join(root, 'model-1'))).sort()).toEqual(['manifest.json', 'weights.bin']);
    const { manifest: read, tensors } = await store.loadTensors('model-1');
    expect(read).toEqual(manifest);
    expect(Array.from(tensors.w.dataSync())).toEqual(Array.from(w.dataSync()));
    expect(tensors.w.shape).toEqual([2, 2]);
    expect(Array.from(tensors.b.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(await store.list()).toEqual(['model-1']);
  });

  it('round-trips a layers model through the IOHandlers with identical predictions, also on wasm', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }),
        tf.layers.dense({ units: 1 }),
      ],
    });
    const x = tf.tensor2d([
      [0.1, -0.2, 0.3],
      [1, 2, 3],
    ]);
    const expected = Array.from((model.predict(x) as tf.Tensor).dataSync());
    const handler = store.saveHandler(meta, 'layers-1');
    await model.save(handler);
    const loaded = await tf.loadLayersModel(store.loadHandler('layers-1'));
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(expected);

    await selectBackend('wasm');
    const onWasm = await tf.loadLayersModel(store.loadHandler('layers-1'));
    const got = (
      onWasm.predict(
        tf.tensor2d([
          [0.1, -0.2, 0.3],
          [1, 2, 3],
        ]),
      ) as tf.Tensor
    ).dataSync();
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    await selectBackend('cpu');
  });

  it('never leaves a half-written artifact and refuses to overwrite one', async () => {
    await store.saveTensors(meta, { w: tf.ones([2]) }, 'same');
    await expect(store.saveTensors(meta, { w: tf.zeros([2]) }, 'same')).rejects.toBeInstanceOf(Conflict);
    // the first artifact is intact and no temporary directory is left behind
    const { tensors } = await store.loadTensors('same');
    expect(Array.from(tensors.w.dataSync())).toEqual([1, 1]);
    expect(await fs.readdir(root)).toEqual(['same']);
  });

  it('reports a missing artifact, a bad id and a truncated weights file', async () => {
    await expect(store.manifest('nope')).rejects.toBeInstanceOf(NotFound);
    await expect(store.manifest('../etc')).rejects.toThrow(/Invalid artifact id/);
    await store.saveTensors(meta, { w: tf.ones([4]) }, 'cut');
    await fs.writeFile(path.join(root, 'cut', 'weights.bin'), Buffer.alloc(3));
    await expect(store.loadTensors('cut')).rejects.toThrow(/damaged/);
  });
});
