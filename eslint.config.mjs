import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Other code enters a lib by its door, `@seqcast/<lib>`, never a deep path. */
const DEEP_PATHS = {
  group: ['@seqcast/*/src/*', '@seqcast/*/*'],
  message: 'import @seqcast/<lib>, not a path inside it',
};

/** The libs below Nest and the libs each may import (docs/architecture.md, "Layers"). */
const MAY_IMPORT = {
  core: [],
  numeric: ['core'],
  kit: ['core'],
  tensor: ['core', 'numeric'],
  forecast: ['core', 'numeric', 'kit', 'tensor'],
  events: ['core', 'numeric', 'kit', 'tensor'],
  conformal: ['core', 'numeric', 'kit'],
  adapt: ['core', 'numeric', 'kit', 'tensor', 'forecast'],
  eval: ['core', 'numeric', 'kit', 'tensor', 'forecast', 'events', 'conformal', 'adapt'],
};
const ALL_LIBS = [...Object.keys(MAY_IMPORT), 'db', 'data', 'jobs', 'models', 'platform', 'migrations'];

/** Nest and the services, and every @seqcast lib that is neither `lib` itself nor under it. */
const layerPatterns = (lib, below) => [
  { group: ['@nestjs/*', 'typeorm', 'bullmq', 'ioredis'], message: `${lib} imports no Nest, jobs or database` },
  {
    group: ALL_LIBS.filter((l) => l !== lib && !below.includes(l)).map((l) => `@seqcast/${l}`),
    message: `${lib} may import only ${below.map((l) => `@seqcast/${l}`).join(', ') || 'no other lib'}`,
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.tsx'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      // resolves the @seqcast/* aliases through tsconfig.json's paths, so cycles across libs are seen
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { patterns: [DEEP_PATHS] }],
      // `import type` edges are not followed (they vanish at run time); other imports of types are
      // (a file importing only types of another still ties the two together)
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  // the layers below Nest: each lib imports only the libs under it (a lib's own specs may
  // import its door), the maths runs anywhere (worker threads, the CLI, benchmarks), and the
  // evaluation stands on the zoos, never under them
  ...Object.entries(MAY_IMPORT).map(([lib, below]) => ({
    files: [`libs/${lib}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_PATHS, ...layerPatterns(lib, below)] }] },
  })),
  // the zoos take arrays: files are read by libs/data's importers and libs/eval's dataset
  // loaders (specs may write and read their own fixtures)
  ...['forecast', 'events', 'conformal', 'adapt'].map((lib) => ({
    files: [`libs/${lib}/**/*.ts`],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.slow-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
            name,
            message: 'the model zoos read no files: take arrays, read in libs/data or libs/eval',
          })),
          patterns: [DEEP_PATHS, ...layerPatterns(lib, MAY_IMPORT[lib])],
        },
      ],
    },
  })),
);
