// The console's one way to the API: same origin, the API key (when the server asks for one) kept in
// the browser session, and the API's error shape `{ error, message, details[] }` turned into ApiError
// so a form can show each detail next to its field.

const KEY_STORAGE = 'seqcast.apiKey';

export interface ErrorDetail {
  field: string;
  reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** The reasons given for one field (dotted paths match their prefix: `config` matches `config.lags`). */
  forField(field: string): string[] {
    return this.details
      .filter((d) => d.field === field || d.field.startsWith(`${field}.`))
      .map((d) => d.reason);
  }
}

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key: string | null): void {
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  else sessionStorage.removeItem(KEY_STORAGE);
  for (const listener of keyListeners) listener();
}

const keyListeners = new Set<() => void>();
/** Called when a request was refused for want of a key (401), so the shell can ask for one. */
const unauthorisedListeners = new Set<(e: ApiError) => void>();

export function onKeyChange(listener: () => void): () => void {
  keyListeners.add(listener);
  return () => keyListeners.delete(listener);
}

export function onUnauthorised(listener: (e: ApiError) => void): () => void {
  unauthorisedListeners.add(listener);
  return () => unauthorisedListeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

export interface RequestOptions {
  method?: string;
  /** A plain object is sent as JSON; a Blob or string as it is (set `contentType`). */
  body?: unknown;
  contentType?: string;
  accept?: string;
  signal?: AbortSignal;
}

/** The error a failed answer carries, whatever its body. */
export async function errorOf(res: Response): Promise<ApiError> {
  let body: { error?: string; message?: string; details?: ErrorDetail[] } = {};
  try {
    body = await res.json();
  } catch {
    // not JSON (a proxy's page): the status says enough
  }
  const err = new ApiError(
    res.status,
    body.error ?? `http_${res.status}`,
    body.message ?? res.statusText,
    body.details ?? [],
  );
  if (res.status === 401) for (const listener of unauthorisedListeners) listener(err);
  return err;
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { ...authHeaders() };
  let body: BodyInit | undefined;
  if (options.body instanceof Blob || typeof options.body === 'string') {
    body = options.body;
    if (options.contentType) headers['content-type'] = options.contentType;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  if (options.accept) headers.accept = options.accept;
  const res = await fetch(path, {
    method: options.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
    signal: options.signal,
  });
  if (!res.ok) throw await errorOf(res);
  return res;
}

/** A JSON answer (204: undefined). */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options);
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A binary or text answer, e.g. an Arrow forecast or a report. */
export async function apiBlob(path: string, options: RequestOptions = {}): Promise<Blob> {
  return (await send(path, options)).blob();
}

export async function apiText(path: string, options: RequestOptions = {}): Promise<string> {
  return (await send(path, options)).text();
}

/**
 * An upload with progress: fetch cannot report how much of a request body has been sent, so
 * this one request goes through XMLHttpRequest.
 */
export function uploadWithProgress<T>(
  path: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (fraction: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    for (const [k, v] of Object.entries({ ...authHeaders(), ...headers })) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload did not reach the server'));
    xhr.onload = () => {
      let parsed: { error?: string; message?: string; details?: ErrorDetail[] } & Record<string, unknown> =
        {};
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        // leave it empty
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve(parsed as T);
      } else {
        const err = new ApiError(
          xhr.status,
          parsed.error ?? `http_${xhr.status}`,
          parsed.message ?? xhr.statusText,
          parsed.details ?? [],
        );
        if (xhr.status === 401) for (const listener of unauthorisedListeners) listener(err);
        reject(err);
      }
    };
    xhr.send(body);
  });
}

/** Saves a blob under a file name through the browser's download. */
export function download(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
