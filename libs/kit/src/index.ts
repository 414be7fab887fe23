// @seqcast/kit: the model kit every family uses (series forecasters, event models,
// calibrators, adapters): one config-schema mechanism, one registry shape, one artifact
// manifest. Plain TypeScript: no Nest, no jobs, no TypeORM.
export {};
