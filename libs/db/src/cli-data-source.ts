// Entry point for the TypeORM CLI (`npm run migration:run`): the same options the app uses.
import { loadConfig } from '@seqcast/core';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

export default new DataSource(dataSourceOptions(loadConfig()));
