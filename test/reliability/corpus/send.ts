import * as http from 'node:http';

/** A request body: bytes, text, or chunks made while sending (big inputs never sit whole in memory). */
export type Body = Buffer | string | (() => AsyncIterable<Buffer | string>);

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Body;
  /** Drop the connection after this many body bytes (an upload interrupted mid-transfer). */
  abortAfter?: number;
}

export interface RawResponse {
  /** 0 when no answer came (the client dropped the connection). */
  status: number;
  text: string;
  json: unknown;
}

/** Sends exactly these headers and bytes (no client-side JSON, encoding or type added). */
export function send(base: URL, r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve) => {
    let answered = false;
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method: r.method,
        path: r.path,
        headers: r.headers ?? {},
        // a connection of its own: a kept-alive one the server closes as it idles would read as a reset
        agent: false,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          req.destroy(); // stop sending what the server no longer reads
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            /* not JSON: the checks say so */
          }
          resolve({ status: res.statusCode ?? 0, text, json });
        });
        res.on('error', (e) => resolve({ status: 0, text: e.message, json: null }));
      },
    );
    // No answer at all (a reset, or the client's own abort) reads as status 0 with the reason.
    req.on('error', (e) => resolve({ status: 0, text: e.message, json: null }));
    req.on('close', () => answered || resolve({ status: 0, text: 'connection closed', json: null }));
    void writeBody(req, r).catch(() => undefined);
  });
}

async function writeBody(req: http.ClientRequest, r: RawRequest): Promise<void> {
  const chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string> =
    r.body === undefined ? [] : typeof r.body === 'function' ? r.body() : [r.body];
  let sent = 0;
  req.flushHeaders(); // the headers go now, so the server may answer before the body comes
  for await (const chunk of chunks) {
    if (req.destroyed) return;
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (r.abortAfter !== undefined && sent + buf.length >= r.abortAfter) {
      req.write(buf.subarray(0, r.abortAfter - sent));
      // let the bytes leave before the connection is dropped
      await new Promise((resolve) => setTimeout(resolve, 200));
      req.destroy();
      return;
    }
    sent += buf.length;
    if (!req.write(buf)) await drained(req);
  }
  req.end();
}

/** Resolves when the request can take more bytes, or is closed (the server answered early). */
function drained(req: http.ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}
