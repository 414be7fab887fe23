export * from './entities';
export * from './data-source';
export * from './db.module';
export * from './api-keys';
export * from './retry-transaction';
