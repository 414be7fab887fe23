import { readForecasterArtifact, simulateAr } from '@seqcast/forecast';
import { ArtifactStore, kernelTierName } from '@seqcast/tensor';
import { existsSync, readFileSync, writeFileSync } from 'fs';
import * as path from 'path';
import { ARTIFACT_STORE } from '../../artifact-store.provider';
import { bootFeature, FeatureApp } from '../../testing/feature-app';
import { ForecastService } from '../forecast/forecast.service';
import { ModelsService } from '../models.service';
import { SeriesModelsModule } from '../series-models.module';

jest.setTimeout(120_000);

/**
 * Pins of the train job, recorded by the code that scaled in the handler (before training
 * went through the model's pipeline): every float32 weight bit for bit, the artifact's JSON
 * state (the pipeline's scales included), the test metrics and the served forecasts of each
 * series. AR-Net's float32 training rounds differently on each kernel tier and instruction
 * set, so the pins are kept per tier (`native-avx512`, `native-avx2`, `native-base`, `wasm`):
 * `SEQCAST_WRITE_PINS=1` records the tier in use (with SEQCAST_NATIVE, SEQCAST_NATIVE_ISA).
 */
const PINS = path.join(__dirname, 'testdata', 'train-pins.json');
const WRITE = process.env.SEQCAST_WRITE_PINS === '1';
const TIER = kernelTierName();

const MODELS: { name: string; kind: string; config: Record<string, unknown>; lookback: number }[] = [
  { name: 'nlinear', kind: 'nlinear', config: { lookback: 8, horizon: 3 }, lookback: 8 },
  { name: 'classic-ar', kind: 'classic-ar', config: { order: 3 }, lookback: 3 },
  { name: 'ar-net', kind: 'ar-net', config: { lags: 6, horizon: 3, epochs: 3, batchSize: 16 }, lookback: 6 },
];
const HORIZON = 3;

/**
 * Three series on different scales: 'a' around 50, 'b' around -3 with std about 0.2, and
 * 'c' too short to train on (10 rows < lookback + horizon + 2), forecast by its own scale.
 */
function csv(): string {
  const start = Date.UTC(2024, 0, 1);
  const a = simulateAr({ coefficients: [0.6, -0.25], length: 150, noiseStd: 2, seed: 3 }).map((v) => 50 + v);
  const b = simulateAr({ coefficients: [0.8], length: 120, noiseStd: 0.1, seed: 5 }).map((v) => -3 + v);
  const c = Array.from({ length: 10 }, (_, i) => 7 + ((i * 37) % 11) / 4);
  const rows: string[] = ['time,key,value'];
  for (const [key, values] of [
    ['a', a],
    ['b', b],
    ['c', c],
  ] as const) {
    values.forEach((v, i) => rows.push(`${new Date(start + i * 3_600_000).toISOString()},${key},${v}`));
  }
  return rows.join('\n');
}

const hex = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');

interface Pin {
  tensors: Record<string, { shape: number[]; hex: string }>;
  state: unknown;
  test: unknown;
  validMse: unknown;
  forecasts: Record<string, number[]>;
}

describe('the train job: pinned artifacts and forecasts', () => {
  let app: FeatureApp;
  const got: Record<string, Pin> = {};
  let pins: Record<string, Pin> = {};

  beforeAll(async () => {
    app = await bootFeature(SeriesModelsModule);
    const datasetId = (
      await app.uploadCsv('pins', csv(), {
        roles: { timeColumn: 'time', keyColumns: ['key'], valueColumns: ['value'] },
      })
    ).id;
    const models = app.get(ModelsService);
    const forecasts = app.get(ForecastService);
    const store: ArtifactStore = app.get(ARTIFACT_STORE);
    const keys = (await app.datasets.series(datasetId)).items.map((s) => s.key);
    for (const spec of MODELS) {
      const m = await models.create({
        kind: spec.kind,
        config: spec.config,
        datasetId,
        target: 'value',
        lookback: spec.lookback,
        horizon: HORIZON,
      });
      const job = await app.settle((await models.train(m.id)).id, 100_000);
      if (job.status !== 'succeeded') throw new Error(`training ${spec.name} failed: ${job.error}`);
      const result = job.result as { test: unknown; validMse?: number };
      const [version] = await models.versionsOf(m.id);
      const { artifact } = await readForecasterArtifact(store, version.artifactRef);
      const out: Pin = {
        tensors: Object.fromEntries(
          Object.entries(artifact.tensors)
            .sort(([x], [y]) => x.localeCompare(y))
            .map(([name, t]) => [name, { shape: [...t.shape], hex: hex(t.values) }]),
        ),
        state: artifact.state,
        test: result.test,
        validMse: result.validMse ?? null,
        forecasts: {},
      };
      for (const key of keys) {
        const f = await forecasts.forecast(m.id, { seriesKey: key, horizon: HORIZON });
        out.forecasts[key] = f.steps.map((s) => s.value);
      }
      got[spec.name] = out;
    }
    const all: Record<string, Record<string, Pin>> = existsSync(PINS)
      ? JSON.parse(readFileSync(PINS, 'utf8'))
      : {};
    if (WRITE) writeFileSync(PINS, JSON.stringify({ ...all, [TIER]: got }, null, 1) + '\n');
    pins = WRITE ? got : (all[TIER] ?? {});
  });
  afterAll(() => app?.close());

  it.each(MODELS.map((m) => m.name))('%s: the same weights, state, test figures and forecasts', (name) => {
    if (!pins[name]) throw new Error(`no pins for ${name} on kernel tier ${TIER} (recorded: see ${PINS})`);
    // bit for bit: float32 weights as hex, JSON numbers (the scales, the forecasts) exactly
    expect(got[name].tensors).toEqual(pins[name].tensors);
    expect(got[name].state).toEqual(pins[name].state);
    expect(got[name].test).toEqual(pins[name].test);
    expect(got[name].validMse).toEqual(pins[name].validMse);
    expect(got[name].forecasts).toEqual(pins[name].forecasts);
  });
});
