// @seqcast/kit: the model kit every family uses (series forecasters, event models,
// calibrators, adapters): one config-schema mechanism, one registry shape, one artifact
// manifest. Plain TypeScript: no Nest, no jobs, no TypeORM, no tfjs.

// config schemas
export { ConfigSchema, type CrossCheck } from './schema/config-schema';
export type { FieldSpec, SchemaFields, ConfigOf, JsonSchema } from './schema/field-spec';
export { withDefaults } from './schema/with-defaults';

// registry
export { ModelRegistry, type ModelRegistryOptions } from './registry/model-registry';
export type {
  Capability,
  ModelDefinition,
  ModelDescription,
  ModelFamily,
  ModelRoles,
  RoleName,
} from './registry/model-definition';

// artifacts
export { ARTIFACT_FORMAT_VERSION } from './artifacts/model-artifact';
export type { Float32Tensor, ModelArtifact, NewModelArtifact } from './artifacts/model-artifact';
export {
  writeModelArtifact,
  readModelArtifact,
  type ArtifactExtras,
  type ManifestOf,
} from './artifacts/model-artifact-io';
export { encodeFloat32, decodeFloat32 } from './artifacts/float32-weights';
export type {
  ArtifactFiles,
  StoredManifest,
  StoredMeta,
  StoredWeights,
  WeightSpec,
} from './artifacts/artifact-files';

// for specs of every family
export { validationFailure } from './testing/validation-failure';
export { MemoryArtifactFiles } from './testing/memory-artifact-files';
