// Five projects: unit (fast, no services), console (the web console's components in jsdom), integration (real SQLite, PostgreSQL, Redis,
// child processes), slow (long model runs; only from `npm run test:slow`) and reliability
// (malformed-input corpus, fault and load suites with real processes; `npm run test:reliability`).
const fs = require('fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

const libs = ['core', 'numeric', 'kit', 'db', 'jobs', 'tensor', 'data', 'forecast', 'events', 'conformal', 'adapt', 'eval', 'platform', 'models'];
const moduleNameMapper = Object.fromEntries(libs.map((l) => [`^@seqcast/${l}$`, `<rootDir>/libs/${l}/src`]));
moduleNameMapper['^@seqcast/migrations$'] = '<rootDir>/migrations';

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['<rootDir>/test/setup-env.js'],
};

// The web console's components (apps/console) in jsdom: TSX with Preact's automatic JSX runtime.
const consoleSwc = {
  ...swc,
  jsc: { ...swc.jsc, parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic', importSource: 'preact' } } },
};
const consoleProject = {
  rootDir: __dirname,
  displayName: 'console',
  testMatch: ['<rootDir>/apps/console/**/*.spec.{ts,tsx}'],
  transform: { '^.+\\.tsx?$': ['@swc/jest', consoleSwc] },
  moduleFileExtensions: ['tsx', 'ts', 'js', 'json'],
  // pages import their own stylesheets, which esbuild bundles; in jsdom they are empty modules
  // marked ships only an ES module and a UMD build; jest loads the UMD one.
  moduleNameMapper: {
    '\\.css$': '<rootDir>/apps/console/test/css-stub.js',
    '^marked$': '<rootDir>/node_modules/marked/lib/marked.umd.js',
  },
  testEnvironment: 'jsdom',
  // Preact's `browser` export is an ES module; its CommonJS build is the one jest can load.
  testEnvironmentOptions: { customExportConditions: ['require', 'default'] },
};

module.exports = {
  // Tests do not pass or fail on time: jest's 5 s default made heavy unit tests fail late in a
  // long run on a loaded 2-core machine. A test that really hangs still fails, after 30 s.
  // (A global option: projects do not take it.)
  testTimeout: 30000,
  projects: [
    consoleProject,
    // the console's specs run once, in their own jsdom project
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/apps/console/'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,test}/**/*.int-spec.ts'] },
    { ...common, displayName: 'slow', testMatch: ['<rootDir>/{apps,libs,test}/**/*.slow-spec.ts'] },
    { ...common, displayName: 'reliability', testMatch: ['<rootDir>/test/reliability/**/*.rel-spec.ts'] },
  ],
};
