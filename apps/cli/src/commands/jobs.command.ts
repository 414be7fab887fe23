import { Command } from 'commander';
import { ApiClient } from '../api-client';
import { progressBar } from '../progress';

interface JobView {
  id: string;
  type: string;
  status: string;
  progress: { fraction: number; message: string | null };
  result: unknown;
  error: string | null;
  createdAt: string;
}

/** Waits for a job, drawing its progress; exits non-zero unless it succeeded. */
export async function followJob(api: ApiClient, id: string, label = 'job'): Promise<JobView> {
  const bar = progressBar(label);
  let j = await api.request<JobView>('GET', `/jobs/${id}`);
  while (j.status === 'queued' || j.status === 'running') {
    bar.update(j.progress.fraction, j.progress.message ?? j.status);
    await new Promise((r) => setTimeout(r, 300));
    j = await api.request<JobView>('GET', `/jobs/${id}`);
  }
  bar.update(j.progress.fraction, j.status);
  bar.stop();
  if (j.status !== 'succeeded') process.exitCode = 1;
  return j;
}

export function jobsCommand(client: () => ApiClient): Command {
  const jobs = new Command('jobs').description(
    'list, submit, follow and cancel jobs on a running server ($SEQCAST_URL)',
  );
  jobs
    .command('list')
    .option('--status <status>', 'queued|running|succeeded|failed|cancelled')
    .option('--limit <n>', 'how many', '20')
    .action(async (o: { status?: string; limit: string }) => {
      const q = new URLSearchParams({ limit: o.limit, ...(o.status ? { status: o.status } : {}) });
      const r = await client().request<{ items: JobView[]; total: number }>('GET', `/jobs?${q}`);
      for (const j of r.items) {
        console.log(
          `${j.id}  ${j.status.padEnd(9)}  ${(j.progress.fraction * 100).toFixed(0).padStart(3)}%  ${j.type}  ${j.createdAt}`,
        );
      }
      console.log(`${r.items.length} of ${r.total}`);
    });
  jobs
    .command('show <id>')
    .action(async (id: string) =>
      console.log(JSON.stringify(await client().request('GET', `/jobs/${id}`), null, 2)),
    );
  jobs
    .command('submit <type>')
    .description('enqueue a job (GET /jobs/types lists the types)')
    .option('--payload <json>', 'job input as JSON', '{}')
    .option('--wait', 'follow progress until the job ends')
    .action(async (type: string, o: { payload: string; wait?: boolean }) => {
      let payload: unknown;
      try {
        payload = JSON.parse(o.payload);
      } catch (e) {
        throw new Error(`--payload is not valid JSON: ${(e as Error).message}`);
      }
      const api = client();
      const j = await api.request<JobView>('POST', '/jobs', { type, payload });
      console.log(j.id);
      if (o.wait) console.log(JSON.stringify(await followJob(api, j.id, type), null, 2));
    });
  jobs.command('cancel <id>').action(async (id: string) => {
    const j = await client().request<JobView>('POST', `/jobs/${id}/cancel`);
    console.log(`${j.id} ${j.status}`);
  });
  jobs.command('types').action(async () => {
    for (const t of await client().request<{ type: string; description: string }[]>('GET', '/jobs/types')) {
      console.log(`${t.type.padEnd(28)} ${t.description}`);
    }
  });
  return jobs;
}
