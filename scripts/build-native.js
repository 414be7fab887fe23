#!/usr/bin/env node
/*
 * Builds seqcast's optional native kernels (native/) with node-gyp: `npm ci` runs this as
 * postinstall, `npm run build:native` by hand. It never fails the install: without a C++
 * compiler, Python or Node's headers the platform runs on its WebAssembly kernels, and this
 * says so. SEQCAST_NATIVE=0 skips the build.
 */
const { spawnSync } = require('child_process');
const { existsSync } = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'native');
const skip = (why) => {
  console.warn(`seqcast: native kernels not built (${why}); the WebAssembly kernels will be used`);
  process.exit(0);
};

if (process.env.SEQCAST_NATIVE === '0') skip('SEQCAST_NATIVE=0');
if (!existsSync(path.join(dir, 'binding.gyp'))) skip('native/binding.gyp is missing');

// node-gyp: npm's own copy (npm hands scripts its path), else the one beside this node's npm
const candidates = [
  process.env.npm_config_node_gyp,
  path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
];
const gyp = candidates.find((p) => p && existsSync(p));
if (!gyp) skip('node-gyp not found');

// Node's headers: where npm is configured to find them, else beside this node binary
// (/usr or /usr/local in distribution and Docker images), so that nothing is downloaded.
const args = [gyp, 'rebuild', `--directory=${dir}`];
if (!process.env.npm_config_nodedir) {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  if (existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
}
const started = Date.now();
const run = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8' });
if (run.status !== 0) {
  const tail = `${run.stdout || ''}${run.stderr || ''}`.trim().split('\n').slice(-15).join('\n');
  console.warn(tail);
  skip(`node-gyp exited with ${run.status ?? run.signal}`);
}
const addon = path.join(dir, 'build', 'Release', 'seqcast_kernels.node');
try {
  const isa = require(addon).isa();
  console.log(`seqcast: native kernels built (${isa}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  skip(`the addon does not load: ${err.message}`);
}
