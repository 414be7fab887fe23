import { detachedContext, Unprocessable, ValidationFailed } from '@seqcast/core';
import { MemoryArtifactFiles, readModelArtifact, validationFailure, writeModelArtifact } from '@seqcast/kit';
import { selectBackend } from '@seqcast/tensor';
import { chunkStatisticsData } from './chunk-statistics.testing';
import { seq2seqRegistry } from './registry';
import type { Seq2SeqData } from './types';

beforeAll(async () => {
  await selectBackend('cpu');
});

const ratio = 3;
const data = chunkStatisticsData(6, 5, ratio, 11, true);
const configs: Record<string, Record<string, unknown>> = {
  hiss: { lowWidth: 8, lowLayers: 1, highWidth: 8, highLayers: 1, stateSize: 4 },
  flat_s4d: { width: 8, layers: 1, stateSize: 4, inputRate: 'full' },
  lstm: { width: 8, layers: 2, inputRate: 'last' },
  causal_transformer: { width: 8, layers: 1, heads: 2 },
};

describe('seq2seq artifacts', () => {
  it.each(Object.keys(configs))(
    '%s: toArtifact -> store -> fromArtifact predicts the same numbers',
    async (kind) => {
      const model = seq2seqRegistry.create(kind, { ...configs[kind], ratio, epochs: 1, learningRate: 1e-2 });
      await model.fit(data, data, detachedContext());
      const before = model.predict(data.inputs);
      const files = new MemoryArtifactFiles();
      const manifest = await writeModelArtifact(files, model.toArtifact());
      const { artifact } = await readModelArtifact(files, manifest.id, 'seq2seq');
      const loaded = seq2seqRegistry.fromArtifact(artifact);
      expect(loaded.kind).toBe(kind);
      expect(loaded.config).toEqual(model.config);
      const after = loaded.predict(data.inputs);
      after.forEach((seq, s) =>
        seq.forEach((ch, c) => expect(Array.from(ch)).toEqual(Array.from(before[s][c]))),
      );
      model.dispose();
      loaded.dispose();
    },
  );

  it('a damaged artifact is refused naming the tensor or the scaler', async () => {
    const model = seq2seqRegistry.create('lstm', { width: 4, layers: 1, ratio, epochs: 1 });
    await model.fit(data, undefined, detachedContext());
    const a = model.toArtifact();
    const { ['decoder.w']: _dropped, ...tensors } = a.tensors;
    const refused = (fn: () => unknown) => {
      expect(fn).toThrow(Unprocessable);
      try {
        fn();
      } catch (e) {
        return (e as Unprocessable).details.map((d) => d.field);
      }
    };
    expect(refused(() => seq2seqRegistry.fromArtifact({ ...a, tensors }))).toEqual([
      'artifact.tensors.decoder.w',
    ]);
    expect(refused(() => seq2seqRegistry.fromArtifact({ ...a, state: {} }))).toEqual([
      'artifact.state.scaler',
    ]);
    expect(
      validationFailure(() => seq2seqRegistry.fromArtifact({ ...a, family: 'series' })).details[0].field,
    ).toBe('artifact.family');
    model.dispose();
  });
});

describe('seq2seq input checks', () => {
  const model = seq2seqRegistry.create('flat_s4d', { width: 4, layers: 1, stateSize: 4, ratio, epochs: 1 });
  const fields = (fn: () => unknown) => validationFailure(fn).details.map((d) => d.field);
  /** The fields a refused fit names (fails the spec if fit does not throw ValidationFailed). */
  const fitFields = async (train: Seq2SeqData) => {
    const e = await model.fit(train, undefined, detachedContext()).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ValidationFailed);
    return (e as ValidationFailed).details.map((d) => d.field);
  };

  it('refuses a ratio that does not divide an input length, naming the sequence', async () => {
    const bad = {
      inputs: [...data.inputs, [new Float32Array(10)]],
      targets: [...data.targets, [new Float32Array(3)]],
    };
    expect(await fitFields(bad)).toEqual(['train.inputs[6]']);
    await expect(model.fit(bad, undefined, detachedContext())).rejects.toMatchObject({
      details: [{ reason: expect.stringMatching(/multiple of the ratio 3/) }],
    });
  });

  it('refuses ragged channels, a wrong target length, a channel count unlike the first sequence', async () => {
    const ragged = { inputs: [[new Float32Array(6), new Float32Array(5)]], targets: [[new Float32Array(2)]] };
    expect(await fitFields(ragged)).toEqual(['train.inputs[0][1]']);
    const short = { inputs: [[new Float32Array(6)]], targets: [[new Float32Array(3)]] };
    expect(await fitFields(short)).toEqual(['train.targets[0]']);
    const channels = {
      inputs: [[new Float32Array(6)], [new Float32Array(6), new Float32Array(6)]],
      targets: [[new Float32Array(2)], [new Float32Array(2)]],
    };
    expect(await fitFields(channels)).toEqual(['train.inputs[1]']);
  });

  it('predict refuses before fit (Unprocessable) and then inputs of another channel count or length', async () => {
    expect(() => model.predict(data.inputs)).toThrow(Unprocessable);
    await model.fit(data, undefined, detachedContext());
    expect(fields(() => model.predict([[new Float32Array(6), new Float32Array(6)]]))).toEqual(['inputs[0]']);
    expect(fields(() => model.predict([[new Float32Array(7)]]))).toEqual(['inputs[0]']);
    expect(fields(() => model.predict([[Float32Array.of(1, 2, NaN)]]))).toEqual(['inputs[0][0]']);
    expect(fields(() => model.predict([]))).toEqual(['inputs']);
  });

  it('bad configs are refused naming each field', () => {
    expect(fields(() => seq2seqRegistry.create('causal_transformer', { width: 10, heads: 3 }))).toEqual([
      'config.heads',
    ]);
    expect(fields(() => seq2seqRegistry.create('hiss', { ratio: 0, inputRate: 'mean' }))).toEqual([
      'config.inputRate',
      'config.ratio',
    ]);
    expect(fields(() => seq2seqRegistry.create('mamba'))).toEqual(['kind']);
  });
});
