import { Proc, runEntry } from './processes';
import { freePort } from './private-services';

export interface ApiProcess {
  proc: Proc;
  port: number;
  url: string;
}

/**
 * The api as its own process (apps/api/src/main.ts) on a free port, resolved once it
 * listens: for tests that kill it. `port` reuses a port, so a restarted api is found
 * where clients knew it.
 */
export async function startApiProcess(
  env: Record<string, string>,
  port?: number,
  ms = 60000,
): Promise<ApiProcess> {
  const p = port ?? (await freePort());
  const proc = runEntry('apps/api/src/main.ts', { ...env, PORT: String(p), HOST: '127.0.0.1' });
  const until = Date.now() + ms;
  while (!/listening on/.test(proc.output())) {
    if (proc.child.exitCode !== null || Date.now() > until) {
      proc.child.kill('SIGKILL');
      throw new Error(`api did not start:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { proc, port: p, url: `http://127.0.0.1:${p}` };
}
