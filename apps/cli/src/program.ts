import { Command } from 'commander';
import { SEQCAST_VERSION } from '@seqcast/core';
import { ApiClient } from './api-client';
import { backtestCommand } from './commands/backtest.command';
import { datasetsCommand } from './commands/datasets.command';
import { evalCommand } from './commands/eval-tpp.command';
import { ingestCommand } from './commands/ingest.command';
import { jobsCommand } from './commands/jobs.command';
import { keysCommand } from './commands/keys.command';
import { modelsCommand } from './commands/models.command';
import { seq2seqCommand } from './commands/seq2seq.command';
import { serverCommands } from './commands/server.commands';

/** The `seqcast` command line. Each feature adds its commands here. */
export function buildProgram(): Command {
  const program = new Command('seqcast')
    .description('seqcast: forecasting for time series and event sequences')
    .version(SEQCAST_VERSION)
    .option(
      '--url <url>',
      'server for commands that talk HTTP',
      process.env.SEQCAST_URL ?? 'http://localhost:3000',
    )
    .showHelpAfterError();
  const client = () => new ApiClient(program.opts<{ url: string }>().url);
  for (const c of serverCommands(client)) program.addCommand(c);
  program.addCommand(jobsCommand(client));
  program.addCommand(evalCommand(client));
  program.addCommand(ingestCommand(client));
  program.addCommand(datasetsCommand(client));
  program.addCommand(modelsCommand(client));
  program.addCommand(seq2seqCommand(client));
  program.addCommand(backtestCommand(client));
  program.addCommand(keysCommand());
  return program;
}
