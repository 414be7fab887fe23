'use strict';
/*
 * Lets plain Node load the TypeScript sources: a require hook that compiles `.ts`
 * files with @swc/core (already a dev dependency, used by jest) and resolves the
 * `@seqcast/<lib>` aliases to `libs/<lib>/src`.
 *
 * Only needed where sources run without a build: worker threads started from jest
 * and `npm run bench:tensor`. A built tree (dist/) runs compiled JavaScript whose
 * aliases tsc-alias has already rewritten, so this file is never loaded there.
 * Kept in JavaScript because it must run before any TypeScript can.
 */
const fs = require('fs');
const path = require('path');
const Module = require('module');

const installed = Symbol.for('seqcast.tsHook');

function findRoot(start) {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'tsconfig.json')) && fs.existsSync(path.join(dir, 'libs'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`ts-hook: no repository root above ${start}`);
    dir = up;
  }
}

function register() {
  if (global[installed]) return;
  global[installed] = true;
  const swc = require('@swc/core');
  const root = findRoot(__dirname);

  const originalResolve = Module._resolveFilename;
  Module._resolveFilename = function resolve(request, parent, ...rest) {
    const m = /^@seqcast\/([a-z-]+)$/.exec(request);
    if (m) {
      const target = m[1] === 'migrations' ? path.join(root, 'migrations') : path.join(root, 'libs', m[1], 'src');
      return originalResolve.call(this, target, parent, ...rest);
    }
    return originalResolve.call(this, request, parent, ...rest);
  };

  require.extensions['.ts'] = function compile(module, filename) {
    const source = fs.readFileSync(filename, 'utf8');
    const { code } = swc.transformSync(source, {
      filename,
      sourceMaps: 'inline',
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
        keepClassNames: true,
      },
      module: { type: 'commonjs' },
    });
    module._compile(code, filename);
  };
}

module.exports = { register };
