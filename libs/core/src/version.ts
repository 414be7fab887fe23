import * as fs from 'fs';
import * as path from 'path';

/** The nearest package.json above this file: the repository's, from sources or from dist/. */
function readVersion(): string {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'seqcast') return pkg.version ?? '0.0.0';
    }
  }
  return '0.0.0';
}

/** The version users see in /health and `seqcast --version`. */
export const SEQCAST_VERSION: string = readVersion();
