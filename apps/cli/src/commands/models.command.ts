import { Command } from 'commander';
import { ApiClient } from '../api-client';
import { followJob } from './jobs.command';
import { startTraining } from './train-job';
import { type ForecastAnswer, forecastLines } from './forecast-table';

interface ModelView {
  id: string;
  name: string;
  kind: string;
  status: string;
  lookback: number;
  horizon: number;
}

/** `seqcast models`: create, train, update and forecast with models on a running server. */
export function modelsCommand(client: () => ApiClient): Command {
  const models = new Command('models').description(
    'create, train and forecast with forecasting models ($SEQCAST_URL)',
  );
  models.command('kinds').action(async () => {
    for (const k of await client().request<{ kind: string; title: string; description: string }[]>(
      'GET',
      '/models/kinds',
    )) {
      console.log(`${k.kind.padEnd(16)} ${k.description}`);
    }
  });
  models.command('list').action(async () => {
    const r = await client().request<{ items: ModelView[] }>('GET', '/models');
    for (const m of r.items)
      console.log(
        `${m.id}  ${m.status.padEnd(8)}  ${m.kind.padEnd(14)} L=${m.lookback} H=${m.horizon}  ${m.name}`,
      );
  });
  models
    .command('create')
    .requiredOption('--kind <kind>')
    .requiredOption('--dataset <id>')
    .requiredOption('--target <column>')
    .requiredOption('--lookback <n>')
    .requiredOption('--horizon <n>')
    .option('--config <json>', 'model configuration', '{}')
    .action(
      async (o: {
        kind: string;
        dataset: string;
        target: string;
        lookback: string;
        horizon: string;
        config: string;
      }) => {
        const m = await client().request<ModelView>('POST', '/models', {
          kind: o.kind,
          datasetId: o.dataset,
          target: o.target,
          lookback: Number(o.lookback),
          horizon: Number(o.horizon),
          config: JSON.parse(o.config),
        });
        console.log(m.id);
      },
    );
  models
    .command('delete <id>')
    .description('delete a model with its versions, artifacts, calibrators and stored forecasts')
    .action(async (id: string) => {
      await client().request('DELETE', `/models/${encodeURIComponent(id)}`);
      console.log(`deleted model ${id}`);
    });
  models
    .command('train <id>')
    .option('--wait', 'follow progress until training ends')
    .option('--resume', "go on from the checkpoint of the model's interrupted training (cancelled, killed or failed)")
    .option('--checkpoint-steps <n>', "steps between checkpoints inside an epoch (default: the server's TRAIN_CHECKPOINT_STEPS)")
    .option(
      '--fit-on <what>',
      "split (default): learn the train part of each series; all: refit on every row once validation picked the settings",
    )
    .action(async (id: string, o: { wait?: boolean; resume?: boolean; checkpointSteps?: string; fitOn?: string }) => {
      // the server checks the value (400 naming fitOn)
      const body = {
        ...(o.resume ? { resume: true } : {}),
        ...(o.checkpointSteps !== undefined ? { checkpointSteps: Number(o.checkpointSteps) } : {}),
        ...(o.fitOn !== undefined ? { fitOn: o.fitOn } : {}),
      };
      const done = await startTraining(client(), `/models/${encodeURIComponent(id)}`, body, {
        wait: o.wait,
        resumeCommand: `seqcast models train ${id} --resume${o.fitOn ? ` --fit-on ${o.fitOn}` : ''}`,
      });
      if (done?.status === 'succeeded') console.log(JSON.stringify(done.result, null, 2));
    });
  models
    .command('update <id>')
    .description(
      "learn the rows of a newer version of the model's dataset it has not learnt yet, without retraining",
    )
    .option('--dataset-version <n>', "version number of the model's dataset (default: the newest)")
    .option('--wait', 'follow progress until the update ends')
    .action(async (id: string, o: { datasetVersion?: string; wait?: boolean }) => {
      const api = client();
      const job = await api.request<{ id: string }>('POST', `/models/${id}/update`, {
        ...(o.datasetVersion !== undefined ? { datasetVersion: Number(o.datasetVersion) } : {}),
      });
      console.log(`job ${job.id}`);
      if (o.wait) console.log(JSON.stringify((await followJob(api, job.id, 'update')).result, null, 2));
    });
  models
    .command('forecast <id>')
    .requiredOption('--series <key>')
    .requiredOption('--horizon <n>')
    .action(async (id: string, o: { series: string; horizon: string }) => {
      const f = await client().request<ForecastAnswer>('POST', `/models/${id}/forecast`, {
        seriesKey: o.series,
        horizon: Number(o.horizon),
      });
      // on stderr: the table on stdout stays a plain table
      if (f.timing) console.error(`# ${f.timing.note}`);
      for (const line of forecastLines(f)) console.log(line);
    });
  return models;
}
