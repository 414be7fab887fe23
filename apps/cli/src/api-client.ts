/** A small client for a running seqcast server, used by the CLI commands that talk HTTP. */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
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
