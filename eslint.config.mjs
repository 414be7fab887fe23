import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Other code enters a lib by its door, `@seqcast/<lib>`, never a deep path. */
const DEEP_PATHS = {
  group: ['@seqcast/*/src/*', '@seqcast/*/*'],
  message: 'import @seqcast/<lib>, not a path inside it',
};

/** Nest, the job system, the database and the libs built on them; `more` names further libs. */
const NO_SERVICES = (more = []) => ({
  group: [
    '@nestjs/*',
    'typeorm',
    'bullmq',
    'ioredis',
    ...['jobs', 'db', 'platform', 'models', 'data', ...more].map((lib) => `@seqcast/${lib}`),
  ],
  message: 'model, numeric and evaluation libraries import no Nest, jobs or database',
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
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
  {
    // the maths (and what it stands on) runs anywhere, worker threads included: Nest, the job
    // system and the database stay in the libs above it (models, platform, data, db, jobs), and
    // the evaluation (eval) stands on the zoos, never under them
    files: ['libs/{core,numeric,kit,tensor,forecast,events,conformal}/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_PATHS, NO_SERVICES(['eval'])] }] },
  },
  {
    // the zoos take arrays: files are read by libs/data's importers and libs/eval's dataset
    // loaders (specs may write and read their own fixtures)
    files: ['libs/{forecast,events,conformal}/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.slow-spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
            name,
            message: 'the model zoos read no files: take arrays, read in libs/data or libs/eval',
          })),
          patterns: [DEEP_PATHS, NO_SERVICES(['eval'])],
        },
      ],
    },
  },
  {
    // evaluation is plain TypeScript too: the CLI, benchmarks and worker threads run it without Nest
    files: ['libs/eval/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [DEEP_PATHS, NO_SERVICES()] }] },
  },
);
