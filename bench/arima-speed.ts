/**
 * bench:arima-speed: auto.arima (the `arima` kind's fit) on many monthly series, timed.
 * Series come from the Monash M1 and tourism monthly files in turn, each cut to its newest
 * `--length` values (default 150: the longest series auto.arima still searches by exact
 * likelihood, its slowest path; above 150 it searches with CSS fits).
 *
 *   npm run bench:arima-speed -- [--series 1000] [--length 150]
 */
import { autoArima, arimaLabel } from '@seqcast/forecast';
import { loadavg } from 'os';
import { readSeriesFile } from './datasets/series-file';

const DIR = `${__dirname}/../../shared/data/forecasting/monash`;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function main(): void {
  const count = Number(flag('series', '1000'));
  const length = Number(flag('length', '150'));
  const pools = ['m1_monthly', 'tourism_monthly'].map((n) =>
    readSeriesFile(`${DIR}/${n}_dataset.tsf`).series.map((s) => s.values.filter((v) => !Number.isNaN(v))),
  );
  const series: Float64Array[] = [];
  for (let i = 0; series.length < count && i < Math.max(...pools.map((p) => p.length)); i++)
    for (const pool of pools)
      if (i < pool.length && series.length < count) series.push(pool[i].slice(-length));
  const load = () =>
    loadavg()
      .map((v) => v.toFixed(2))
      .join(' ');
  console.log(
    `${series.length} monthly series, lengths ${Math.min(...series.map((s) => s.length))}-${Math.max(...series.map((s) => s.length))}; load ${load()}`,
  );
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const labels = new Map<string, number>();
  let models = 0;
  for (const y of series) {
    const { model, tried } = autoArima(y, { m: 12 });
    models += tried.length;
    const label = arimaLabel({ ...model.order, p: 0, q: 0, P: 0, Q: 0 }, model.constant).replace(
      'ARIMA',
      'd/D',
    );
    labels.set(label, (labels.get(label) ?? 0) + 1);
  }
  const cpu = process.cpuUsage(cpu0);
  const seconds = (Date.now() - t0) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `auto.arima: ${seconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU (${((1000 * cpuSeconds) / series.length).toFixed(0)} ms CPU a series, ${(models / series.length).toFixed(1)} models a series); load ${load()}`,
  );
  console.log(
    [...labels]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
  );
}

main();
