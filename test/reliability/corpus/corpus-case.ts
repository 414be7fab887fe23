import { Body, RawRequest, RawResponse } from './send';

/** The tables whose rows the corpus counts: only the cases meant to create something may add any. */
export const COUNTED_TABLES = ['dataset', 'dataset_version', 'model', 'job'] as const;
export type CountedTable = (typeof COUNTED_TABLES)[number];

export interface CorpusContext {
  /** Ids made by earlier cases (a dataset, a model), by name. */
  ids: Record<string, string>;
  /** A request with the key. */
  send: (r: RawRequest) => Promise<RawResponse>;
  /** GET with the key. */
  get: (path: string) => Promise<RawResponse>;
}

export interface Case {
  group: string;
  name: string;
  request: RawRequest | ((ctx: CorpusContext) => RawRequest);
  /** The status, and for an error the code of the error body; status 0: no answer is expected (the client hangs up). */
  expect: { status: number; code?: string };
  /** Sent without the API key. */
  anonymous?: boolean;
  /** Rows a case that is meant to succeed adds. */
  creates?: Partial<Record<CountedTable, number>>;
  /** More checks with the answer; may keep ids for later cases. */
  after?: (res: RawResponse, ctx: CorpusContext) => Promise<void>;
}

/** A dataset upload: POST /datasets with the name, query and content type given. */
export function upload(
  name: string,
  query: string,
  contentType: string | null,
  body: Body,
  headers: Record<string, string> = {},
): RawRequest {
  const q = `name=${encodeURIComponent(name)}${query ? `&${query}` : ''}`;
  return {
    method: 'POST',
    path: `/datasets?${q}`,
    headers: { ...(contentType ? { 'Content-Type': contentType } : {}), ...headers },
    body,
  };
}

/** A JSON request (the body as text, so that malformed JSON can be sent too). */
export function json(
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): RawRequest {
  return {
    method,
    path,
    headers: { 'Content-Type': 'application/json', ...headers },
    body:
      typeof body === 'string' || Buffer.isBuffer(body) || typeof body === 'function'
        ? (body as Body)
        : JSON.stringify(body),
  };
}

/** The roles of the one-series uploads most cases send (columns `time` and `value`). */
export const SERIES = 'timeColumn=time&valueColumns=value';
export const CSV = 'text/csv';
export const JSON_TYPE = 'application/json';
export const ARROW = 'application/vnd.apache.arrow.stream';
export const TSF = 'application/x-tsf';
export const OCTETS = 'application/octet-stream';

/** JSON arrays nested `levels` deep: `[[[...]]]`. */
export const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

export const bad = (status: number, code: string) => ({ status, code });
export const BAD_REQUEST = bad(400, 'validation_failed');
export const TOO_LARGE = bad(413, 'payload_too_large');
export const UNSUPPORTED = bad(415, 'unsupported_media_type');
export const CREATED = { status: 201 };
