import { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'fs';
import { dirname, join } from 'path';

/** Where `npm run build` puts the console (scripts/build-console.js): dist/console under the package root. */
export function defaultConsoleDir(from = __dirname): string {
  let dir = from;
  // Up to the package root, the same from the TypeScript sources and from dist/.
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'console');
}

/**
 * The web console at /ui (and / sends a browser there). Static files, before the API's guards:
 * the page itself holds no data, and every API call it makes carries the key the user entered.
 * Without a built console, /ui answers 404 saying how to build it.
 */
export function serveConsole(app: NestExpressApplication, dir = defaultConsoleDir()): void {
  const http = app.getHttpAdapter().getInstance();
  http.get('/', (_req: Request, res: Response) => res.redirect(302, '/ui/'));
  // Express matches '/ui/' against '/ui' too: only the bare path is sent on (relative asset URLs need the slash).
  http.get('/ui', (req: Request, res: Response, next: NextFunction) =>
    req.originalUrl.split('?')[0] === '/ui' ? res.redirect(301, '/ui/') : next(),
  );
  app.useStaticAssets(dir, { prefix: '/ui/', index: 'index.html', fallthrough: true, maxAge: 0 });
  http.use('/ui', (_req: Request, res: Response, next: NextFunction) => {
    if (existsSync(join(dir, 'index.html'))) return next();
    res.status(404).json({
      error: 'not_found',
      message: `the web console is not built (no ${join(dir, 'index.html')}): run npm run build`,
      details: [],
    });
  });
}
