import { Command } from 'commander';
import * as fs from 'fs';
import * as path from 'path';
import { ApiClient } from '../api-client';
import { followJob } from './jobs.command';

interface Overall {
  model: string;
  mse: number | null;
  mae: number | null;
  smape: number | null;
  mase: number | null;
}

const num = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a positive integer, got '${v}'`);
  return n;
};

/** `seqcast backtest`: a rolling-origin evaluation on a running server, with progress and the report saved locally. */
export function backtestCommand(client: () => ApiClient): Command {
  return new Command('backtest')
    .description(
      'rolling-origin backtest of model kinds on a dataset column (MSE, MAE, sMAPE, MASE) with a Markdown report',
    )
    .requiredOption('--dataset <id>', 'dataset id')
    .requiredOption('--target <column>', 'value column')
    .requiredOption('--lookback <n>', 'history steps', num)
    .requiredOption('--horizon <n>', 'steps ahead', num)
    .option('--models <kinds>', 'comma-separated model kinds', 'naive,seasonal-naive,drift,nlinear')
    .option('--folds <n>', 'forecast origins', num, 5)
    .option('--step <n>', 'steps between origins (default: horizon)', num)
    .option('--seasonality <n>', 'season length for MASE', num)
    .option('--refit <when>', 'once | every-fold', 'once')
    .option('--out <dir>', 'save report.md and forecasts.svg here')
    .action(
      async (o: {
        dataset: string;
        target: string;
        lookback: number;
        horizon: number;
        models: string;
        folds: number;
        step?: number;
        seasonality?: number;
        refit: string;
        out?: string;
      }) => {
        const api = client();
        const job = await api.request<{ id: string }>('POST', '/evaluations', {
          datasetId: o.dataset,
          target: o.target,
          lookback: o.lookback,
          horizon: o.horizon,
          folds: o.folds,
          refit: o.refit,
          ...(o.step ? { step: o.step } : {}),
          ...(o.seasonality ? { seasonality: o.seasonality } : {}),
          models: o.models.split(',').map((kind) => ({ kind: kind.trim() })),
        });
        const done = await followJob(api, job.id, 'backtest');
        if (done.status !== 'succeeded') {
          console.error(`backtest ${done.status}: ${done.error ?? ''}`);
          return;
        }
        const overall = (done.result as { overall: Overall[] }).overall;
        const f = (v: number | null) => (v === null ? '-' : v.toPrecision(4));
        console.log(
          'model'.padEnd(20),
          'MSE'.padStart(10),
          'MAE'.padStart(10),
          'sMAPE'.padStart(10),
          'MASE'.padStart(10),
        );
        for (const m of overall)
          console.log(
            m.model.padEnd(20),
            f(m.mse).padStart(10),
            f(m.mae).padStart(10),
            f(m.smape).padStart(10),
            f(m.mase).padStart(10),
          );
        if (o.out) {
          fs.mkdirSync(o.out, { recursive: true });
          const report = await fetch(new URL(`/evaluations/${job.id}/report`, api.baseUrl), { headers: api.authHeaders() }).then((r) =>
            r.text(),
          );
          const svg = await fetch(new URL(`/evaluations/${job.id}/forecasts.svg`, api.baseUrl), { headers: api.authHeaders() }).then((r) =>
            r.text(),
          );
          fs.writeFileSync(path.join(o.out, 'report.md'), report);
          fs.writeFileSync(path.join(o.out, 'forecasts.svg'), svg);
          console.log(`report: ${path.join(o.out, 'report.md')}`);
        } else {
          console.log(`report: ${new URL(`/evaluations/${job.id}/report`, api.baseUrl)}`);
        }
      },
    );
}
