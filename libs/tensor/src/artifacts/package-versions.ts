import * as tf from '@tensorflow/tfjs';

/**
 * Versions recorded in every artifact manifest, so a model that stops loading or
 * predicts differently after an upgrade can be traced to the package that changed.
 */
export function packageVersions(): Record<string, string> {
  const versions: Record<string, string> = { node: process.versions.node };
  for (const [name, v] of Object.entries(tf.version)) versions[`@tensorflow/${name}`] = String(v);
  for (const pkg of [
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-node',
    '@tensorflow/tfjs-node-gpu',
    '@tensorflow/tfjs-backend-webgpu',
  ]) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      versions[pkg] = require(`${pkg}/package.json`).version;
    } catch {
      // not installed: nothing to record
    }
  }
  return versions;
}
