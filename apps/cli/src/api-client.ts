import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The key the CLI sends: SEQCAST_API_KEY, else the first line of ~/.config/seqcast/key, else none. */
export function configuredApiKey(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.SEQCAST_API_KEY?.trim();
  if (fromEnv) return fromEnv;
  try {
    const fromFile = fs.readFileSync(path.join(os.homedir(), '.config', 'seqcast', 'key'), 'utf8').split('\n')[0].trim();
    return fromFile || undefined;
  } catch {
    return undefined;
  }
}

/** A small client for a running seqcast server, used by the CLI commands that talk HTTP. */
export class ApiClient {
  /** `apiKey`: sent as a bearer token when set (SEQCAST_API_KEY, or ~/.config/seqcast/key). */
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string | undefined = configuredApiKey(),
  ) {}

  /** The authorization header, for commands that call fetch themselves (uploads, reports). */
  authHeaders(): Record<string, string> {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {};
  }

  private headers(body: unknown): Record<string, string> {
    return { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...this.authHeaders() };
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: this.headers(body),
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (e) {
      throw new Error(`cannot reach seqcast at ${this.baseUrl} (${(e as Error).message}); start it with \`npm start\` or set SEQCAST_URL`);
    }
    const text = await res.text();
    const json = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const details = (json?.details ?? []).map((d: { field?: string; reason: string }) => `\n  ${d.field ?? ''}: ${d.reason}`).join('');
      throw new Error(`${res.status} ${json?.error ?? ''}: ${json?.message ?? text}${details}`);
    }
    return json as T;
  }
}
