// Builds the web console (apps/console) into dist/console: one JS bundle, one CSS file and the
// page, everything served by the api at /ui, nothing fetched from a CDN. `npm run build` runs it;
// the console's end-to-end spec calls buildConsole() itself.
const path = require('path');
const fs = require('fs');

const root = path.resolve(__dirname, '..');

async function buildConsole(outdir = path.join(root, 'dist', 'console')) {
  const esbuild = require('esbuild');
  fs.mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { app: path.join(root, 'apps/console/src/main.tsx') },
    outdir,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    tsconfig: path.join(root, 'apps/console/tsconfig.json'),
    logLevel: 'warning',
    legalComments: 'linked',
  });
  fs.copyFileSync(path.join(root, 'apps/console/index.html'), path.join(outdir, 'index.html'));
  return outdir;
}

module.exports = { buildConsole };

if (require.main === module) {
  buildConsole(process.argv[2]).then(
    (dir) => console.log(`console built into ${path.relative(process.cwd(), dir) || '.'}`),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
