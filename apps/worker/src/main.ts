import 'reflect-metadata';
import { loadConfig, runOrExplain } from '@seqcast/core';
import { startWorker } from './start-worker';

runOrExplain(async () => startWorker(loadConfig({ ...process.env, ROLE: 'worker' })));
