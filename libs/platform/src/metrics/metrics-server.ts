import * as http from 'http';
import { AddressInfo } from 'net';
import { EXPOSITION_CONTENT_TYPE, renderAll } from './exposition';
import { PlatformMetrics } from './platform-metrics';

/**
 * A worker's /metrics: a plain HTTP server (a worker has no Nest HTTP stack) answering
 * GET /metrics with the process's PlatformMetrics and 404 for anything else. It holds no
 * data beyond counts, and binds to HOST (loopback by default), like the api.
 */
export async function serveMetrics(
  metrics: PlatformMetrics,
  port: number,
  host: string,
): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || path !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: GET /metrics\n');
      return;
    }
    metrics.collect().then(
      (list) =>
        res
          .writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE, 'Cache-Control': 'no-store' })
          .end(renderAll(list)),
      (err: Error) =>
        res.writeHead(503, { 'Content-Type': 'text/plain' }).end(`metrics unavailable: ${err.message}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  // a scrape in flight must not keep a stopping worker alive
  server.unref();
  return server;
}

/** The port a metrics server listens on (the real one when 0 asked for any). */
export const metricsPort = (server: http.Server) => (server.address() as AddressInfo).port;
