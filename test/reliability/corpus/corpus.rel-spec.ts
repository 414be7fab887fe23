import * as fs from 'node:fs';
import { tempDataDir, waitFor } from '../../support/api';
import { cliKey, loadAverage, startPinnedApi } from '../../support/load';
import { stop } from '../../support/processes';
import { COUNTED_TABLES, Case, CorpusContext, CountedTable } from './corpus-case';
import { csvCases } from './csv-cases';
import { arrowCases, easyTppCases, jsonCases, sktimeCases, tsfCases } from './format-cases';
import { Holdings, holdings } from './leftovers';
import { startHealthProbe, summarize } from './probe';
import { modelCases, transportCases } from './request-cases';
import { RawRequest, RawResponse, send } from './send';

/**
 * The malformed-input corpus (issue 24): every hostile or broken input we know of, sent to ONE
 * api process (AUTH=required, SQLite in a temporary DATA_DIR) while another process probes
 * GET /health every 20 ms. Each case must get its status and the error shape, never a 5xx;
 * afterwards the database holds only what the valid cases made and the data folder only the
 * files their versions list; and /health stayed under 100 ms at the 99th percentile.
 */
const CASES: Case[] = [
  ...csvCases,
  ...jsonCases,
  ...arrowCases,
  ...tsfCases,
  ...easyTppCases,
  ...sktimeCases,
  ...transportCases,
  ...modelCases,
];
const MiB = 1024 * 1024;

interface Outcome {
  c: Case;
  status: number;
  code: string;
  /** Why no answer came (status 0). */
  note: string;
  /** When it was sent and answered (epoch ms), to find the probes sent meanwhile. */
  from: number;
  to: number;
  ok: boolean;
}

describe('malformed-input corpus', () => {
  let dataDir: string;
  let shared: string;
  let base: URL;
  let api: Awaited<ReturnType<typeof startPinnedApi>>;
  let probe: ReturnType<typeof startHealthProbe>;
  let before: Holdings;
  let ctx: CorpusContext;
  const outcomes: Outcome[] = [];

  beforeAll(async () => {
    dataDir = tempDataDir('seqcast-corpus-');
    shared = tempDataDir('seqcast-corpus-shared-');
    const env = {
      DATA_DIR: dataDir,
      AUTH: 'required',
      SEQCAST_SHARED_DATA: shared,
      MAX_UPLOAD_BYTES: String(64 * MiB),
      TF_BACKEND: 'cpu',
    };
    const key = await cliKey(env, 'write');
    api = await startPinnedApi(env);
    base = new URL(api.base);
    const withKey = (r: RawRequest): RawRequest => ({
      ...r,
      headers: { Authorization: `Bearer ${key}`, ...(r.headers ?? {}) },
    });
    ctx = {
      ids: {},
      send: (r) => send(base, withKey(r)),
      get: (p) => send(base, withKey({ method: 'GET', path: p })),
    };
    before = await holdings(dataDir);
    probe = startHealthProbe(base, 20);
  }, 120_000);

  afterAll(async () => {
    await probe?.stop();
    if (api) await stop(api.proc);
    for (const dir of [dataDir, shared]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('has at least 60 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(60));

  for (const c of CASES) {
    it(`${c.group}: ${c.name}`, async () => {
      const request = typeof c.request === 'function' ? c.request(ctx) : c.request;
      const from = Date.now();
      const res: RawResponse = c.anonymous ? await send(base, request) : await ctx.send(request);
      const to = Date.now();
      const body = res.json as {
        error?: unknown;
        message?: unknown;
        details?: unknown;
        requestId?: unknown;
      } | null;
      const code = typeof body?.error === 'string' ? body.error : '';
      const outcome: Outcome = {
        c,
        status: res.status,
        code,
        note: res.status === 0 ? res.text.slice(0, 24) : '',
        from,
        to,
        ok: false,
      };
      outcomes.push(outcome);
      expect({ status: res.status, code }).toEqual({ status: c.expect.status, code: c.expect.code ?? code });
      if (res.status >= 400) {
        expect(body).toEqual({
          error: c.expect.code,
          message: expect.any(String),
          details: expect.any(Array),
          requestId: expect.any(String),
        });
      }
      await c.after?.(res, ctx);
      outcome.ok = true;
    }, 180_000);
  }

  it('answered no case with a 5xx', () => {
    expect(outcomes.filter((o) => o.status >= 500).map((o) => `${o.c.name}: ${o.status}`)).toEqual([]);
  });

  it('left nothing behind: rows only from the valid cases, no temporary or unlisted files', async () => {
    const made = Object.fromEntries(
      COUNTED_TABLES.map((t) => [
        t,
        before.rows[t] + CASES.reduce((n, c) => n + (c.creates?.[t as CountedTable] ?? 0), 0),
      ]),
    );
    // an interrupted upload is cleaned up when the server notices the closed connection
    const after = await waitFor(
      () => holdings(dataDir),
      (h) => h.temporary.length === 0,
      15_000,
      200,
    );
    expect(after.rows).toEqual(made);
    expect(after.temporary).toEqual([]);
    expect(after.stored).toEqual(after.referenced);
  }, 30_000);

  // The latency itself is a figure, printed below and kept in docs/benchmarks.md ("Malformed-input
  // corpus"), not an assertion: the project's tests never pass or fail on wall-clock time (the p99
  // was 42 ms on 2026-12-06 and 111 ms on 2026-12-07 on a quiet box: a regression to find, written
  // there). What is asserted is that every probe was answered.
  it('answered every GET /health probe while the corpus ran (p99 printed)', async () => {
    const probes = await probe.stop();
    const s = summarize(probes);
    const width = Math.max(...outcomes.map((o) => `${o.c.group}: ${o.c.name}`.length));
    const table = outcomes.map((o) => {
      const during = summarize(probes.filter(([at]) => at >= o.from && at <= o.to));
      return [
        `${o.c.group}: ${o.c.name}`.padEnd(width),
        String(o.status).padStart(3),
        (o.code || o.note).padEnd(24),
        `${String(o.to - o.from).padStart(6)} ms`,
        `health max ${(Number.isNaN(during.max) ? '-' : during.max.toFixed(0)).padStart(4)} ms`,
        o.ok ? 'ok' : 'FAILED',
      ].join('  ');
    });
    console.log(
      [
        `malformed-input corpus: ${CASES.length} cases, ${outcomes.filter((o) => o.ok).length} passed`,
        ...table,
        `/health during the corpus: ${s.count} probes (${s.failed} failed${s.failures.length ? `: ${s.failures.join(', ')}` : ''}), p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms; load ${loadAverage()}`,
      ].join('\n'),
    );
    expect(s.failures).toEqual([]);
  }, 30_000);
});
