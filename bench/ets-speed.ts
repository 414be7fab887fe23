/**
 * bench:ets-speed: the automatic ETS fit (the `ets` kind's, 15 candidate models a monthly
 * series) on the training part of every series of a Monash monthly file (the last
 * `--horizon` values held out as bench:forecast does), timed in CPU seconds. `--json FILE`
 * writes each series' chosen model, AICc and point forecasts, to check that a faster fit
 * gives the same results (compare two files with `--compare FILE`).
 *
 *   npm run bench:ets-speed -- [--dataset tourism_monthly] [--series 0 (all)] [--horizon 24] [--json out.json] [--compare before.json]
 */
import { autoEts, automaticEtsSearch, etsForecast, etsName } from '@seqcast/forecast';
import { readFileSync, writeFileSync } from 'fs';
import { loadavg } from 'os';
import { readSeriesFile } from './datasets/series-file';

const DIR = `${__dirname}/../../shared/data/forecasting/monash`;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

interface SeriesResult {
  key: string;
  model: string;
  aicc: number;
  point: number[];
}

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

/** Largest relative difference of AICc and forecasts between two runs, and how many models differ. */
function compare(now: SeriesResult[], before: SeriesResult[]): string {
  let models = 0;
  let worst = 0;
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
  now.forEach((r, i) => {
    const b = before[i];
    if (r.model !== b.model) models++;
    worst = Math.max(worst, rel(r.aicc, b.aicc), ...r.point.map((p, h) => rel(p, b.point[h])));
  });
  return `${models} of ${now.length} series chose another model; largest relative difference in AICc or forecasts ${worst.toExponential(2)}`;
}

function main(): void {
  const dataset = flag('dataset', 'tourism_monthly');
  const file = readSeriesFile(`${DIR}/${dataset}_dataset.tsf`);
  const horizon = Number(flag('horizon', String(file.horizon ?? 24)));
  const count = Number(flag('series', '0'));
  const series = (count ? file.series.slice(0, count) : file.series).map((s) => ({
    key: s.key,
    y: s.values.subarray(0, s.values.length - horizon),
  }));
  console.log(
    `${dataset}: ${series.length} series, training lengths ${Math.min(...series.map((s) => s.y.length))}-${Math.max(...series.map((s) => s.y.length))}, horizon ${horizon}; load ${load()}`,
  );
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  const out: SeriesResult[] = series.map(({ key, y }) => {
    // float32 values, as the platform stores and serves them
    const fit = autoEts(Float64Array.from(Float32Array.from(y)), automaticEtsSearch(12));
    return {
      key,
      model: etsName(fit.spec),
      aicc: fit.aicc,
      point: Array.from(etsForecast(fit, horizon, []).point),
    };
  });
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(
    `auto ETS: ${((Date.now() - t0) / 1000).toFixed(1)} s wall, ${cpuSeconds.toFixed(2)} s CPU (${((1000 * cpuSeconds) / series.length).toFixed(1)} ms CPU a series); load ${load()}`,
  );
  const counts = new Map<string, number>();
  for (const r of out) counts.set(r.model, (counts.get(r.model) ?? 0) + 1);
  console.log(
    [...counts]
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k}: ${v}`)
      .join(', '),
  );
  const json = flag('json', '');
  if (json) writeFileSync(json, JSON.stringify(out));
  const before = flag('compare', '');
  if (before) console.log(compare(out, JSON.parse(readFileSync(before, 'utf8')) as SeriesResult[]));
}

main();
