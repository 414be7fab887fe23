import { Command } from 'commander';
import { ApiClient } from '../api-client';

interface DatasetView {
  id: string;
  name: string;
  kind: string;
  diskBytes: number | null;
  latest: { version: number; rowCount: number } | null;
}

/** `seqcast datasets`: list and delete datasets on a running server (uploads are `seqcast ingest`). */
export function datasetsCommand(client: () => ApiClient): Command {
  const datasets = new Command('datasets').description('list and delete datasets ($SEQCAST_URL)');
  datasets.command('list').action(async () => {
    const r = await client().request<{ items: DatasetView[] }>('GET', '/datasets?limit=1000');
    for (const d of r.items)
      console.log(
        `${d.id}  ${d.kind.padEnd(6)}  v${d.latest?.version ?? 0}  ${String(d.latest?.rowCount ?? 0).padStart(9)} rows  ${String(d.diskBytes ?? '?').padStart(11)} bytes  ${d.name}`,
      );
  });
  datasets
    .command('delete <id>')
    .description('delete a dataset, its versions and files (refused while models use it, unless --force)')
    .option('--force', 'also delete the models configured or trained on it')
    .action(async (id: string, o: { force?: boolean }) => {
      await client().request('DELETE', `/datasets/${encodeURIComponent(id)}${o.force ? '?force=true' : ''}`);
      console.log(`deleted dataset ${id}`);
    });
  return datasets;
}
