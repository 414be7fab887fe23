import { generateImuDeadReckoning } from '@seqcast/eval';
import * as fs from 'fs';
import * as path from 'path';
import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';
import { runEntry } from '../../../../test/support/processes';

/**
 * The README's seq2seq walk-through with the CLI: generate the IMU benchmark as CSV, upload
 * it, create and train HiSS, predict from a CSV. The CLI's answers must be the server's own
 * answers for the generator's arrays, sequence by sequence (its CSV reading keeps the order).
 */
describe('CLI seq2seq', () => {
  let api: TestApi;
  let url: string;
  let dir: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
    url = await api.app.getUrl();
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const cli = async (...args: string[]) => {
    const p = runEntry('apps/cli/src/main.ts', { SEQCAST_URL: url }, args);
    const code = await p.exited;
    if (code !== 0) throw new Error(`seqcast ${args.join(' ')} exited ${code}: ${p.output()}`);
    return p.output();
  };

  it('generates, uploads, trains and predicts', async () => {
    const csv = path.join(dir, 'imu.csv');
    const options = { sequences: 8, outputSteps: 4, seed: 5 };
    const said = await cli(
      'seq2seq',
      'generate',
      'imu',
      '--out',
      csv,
      '--sequences',
      '8',
      '--output-steps',
      '4',
      '--seed',
      '5',
    );
    const upload = /upload: seqcast (.*)/.exec(said)![1].split(' ');
    expect(upload).toEqual([
      'ingest',
      csv,
      '--kind',
      'seq2seq',
      '--sequence-column',
      'sequence',
      '--time-column',
      'step',
      '--target-columns',
      'vel_world_x,vel_world_y',
      '--ratio',
      '10',
    ]);
    const ingested = await cli(...upload);
    const datasetId = /^(\S+) version 1: 320 rows, 8 sequences/m.exec(ingested)![1];
    const config = JSON.stringify({
      lowWidth: 8,
      lowLayers: 1,
      highWidth: 8,
      highLayers: 1,
      stateSize: 4,
      epochs: 2,
    });
    const modelId = (
      await cli('seq2seq', 'create', '--kind', 'hiss', '--dataset', datasetId, '--config', config)
    ).trim();
    const trained = await cli('seq2seq', 'train', modelId, '--wait');
    expect(trained).toMatch(/sequences: train 6, validation 1, test 1; 2 epochs/);
    expect(trained).toMatch(/test MSE [\d.e-]+ \(mean predictor [\d.e-]+\)/);

    const out = path.join(dir, 'velocity.csv');
    await cli('seq2seq', 'predict', modelId, csv, '--out', out);
    const rows = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('sequence,step,vel_world_x,vel_world_y');
    const set = generateImuDeadReckoning(options);
    const direct = (
      await api
        .http()
        .post(`/seq2seq-models/${modelId}/predict`)
        .send({ inputs: set.inputs.map((s) => s.map((c) => Array.from(c))) })
        .expect(200)
    ).body.predictions as number[][][];
    const expected = direct.flatMap((seq, s) =>
      seq[0].map((_, k) => [`s${s}`, (k + 1) * 10 - 1, seq[0][k], seq[1][k]].join(',')),
    );
    expect(rows.slice(1)).toEqual(expected);
  }, 180000);

  it('generates the IMU benchmark in the heading frame, and refuses the option for the tactile generator', async () => {
    const csv = path.join(dir, 'imu-heading.csv');
    await cli(
      'seq2seq',
      'generate',
      'imu',
      '--out',
      csv,
      '--sequences',
      '2',
      '--output-steps',
      '3',
      '--input-frame',
      'heading',
    );
    const rows = fs.readFileSync(csv, 'utf8').trim().split('\n');
    const header = rows[0].split(',');
    expect(header).toEqual(expect.arrayContaining(['accel_world_x', 'accel_world_y', 'gyro_z']));
    const set = generateImuDeadReckoning({ sequences: 2, outputSteps: 3, seed: 0, inputFrame: 'heading' });
    const first = rows[1].split(',');
    expect(Number(first[header.indexOf('accel_world_x')])).toBeCloseTo(set.inputs[0][0][0], 5);
    await expect(
      cli('seq2seq', 'generate', 'tactile', '--out', csv, '--input-frame', 'heading'),
    ).rejects.toThrow(/--input-frame is an option of the imu generator/);
  }, 60000);
});
