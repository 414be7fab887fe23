/**
 * The LS4 part of `npm run bench:ssm`: LS4's generation protocol (libs/eval
 * runGenerationEvaluation, the same code as `POST /evaluations {kind: "generation"}`) on
 * Monash files: the real set is the last T values of every complete series, each z-scored by
 * itself; LS4 and two classical generators (a Gaussian AR(p) with p by AIC, a moving block
 * bootstrap) are fitted to it per seed and draw as many sequences; the three generation
 * metrics compare them with the real set. Differs from the paper, whose Monash sets are its
 * own preprocessing (FRED-MD is shared: the paper's Table 1 uses it too).
 */
import { loadavg } from 'os';
import * as path from 'path';
import { sharedDataDir } from '@seqcast/core';
import {
  generationTable,
  runGenerationEvaluation,
  validateGenerationEvalConfig,
  type GenerationEvalRow,
} from '@seqcast/eval';
import { readSeriesFile } from './datasets/series-file';

/** The Monash files of the state-space benches (T: the generation part's window length). */
export const FILES = [
  { name: 'fred_md', file: 'fred_md_dataset.tsf', length: 96 },
  { name: 'electricity_weekly', file: 'electricity_weekly_dataset.tsf', length: 96 },
  { name: 'tourism_monthly', file: 'tourism_monthly_dataset.tsf', length: 72 },
];

/** FILES named by `--datasets` (all when none), failing on a name it doesn't know. */
export function pickFiles(names: string[] | undefined): typeof FILES {
  const unknown = (names ?? []).filter((d) => !FILES.some((f) => f.name === d));
  if (unknown.length)
    throw new Error(
      `--datasets: unknown ${unknown.join(', ')}; known: ${FILES.map((f) => f.name).join(', ')}`,
    );
  return FILES.filter((x) => !names || names.includes(x.name));
}

export interface Ls4Budget {
  seeds: number;
  /** The first seed (a run can add seeds to an earlier one's). */
  firstSeed?: number;
  epochs: number;
  /** Names of FILES to run (default: all), so a short session can run a part. */
  datasets?: string[];
}

export interface Ls4Result {
  budget: Ls4Budget;
  datasets: Array<{
    name: string;
    sequences: number;
    length: number;
    rows: GenerationEvalRow[];
    load: string;
  }>;
}

export async function ls4Benchmark(b: Ls4Budget, log: (line: string) => void): Promise<Ls4Result> {
  const dir = path.join(sharedDataDir(), 'forecasting', 'monash');
  const out: Ls4Result = { budget: b, datasets: [] };
  for (const f of pickFiles(b.datasets)) {
    const config = validateGenerationEvalConfig({
      length: f.length,
      seeds: b.seeds,
      firstSeed: b.firstSeed ?? 0,
      models: [{ kind: 'ls4', name: 'LS4', config: { epochs: b.epochs } }],
    });
    let last = '';
    const r = await runGenerationEvaluation(
      config,
      readSeriesFile(path.join(dir, f.file)).series.map((x) => x.values),
      {
        signal: new AbortController().signal,
        progress: (_, message) => {
          if (message && message !== last)
            log(`${f.name}: ${(last = message)} (load ${loadavg()[0].toFixed(2)})`);
        },
      },
    );
    out.datasets.push({
      name: f.name,
      sequences: r.sequences,
      length: r.length,
      rows: r.rows,
      load: loadavg()[0].toFixed(2),
    });
    log(`${f.name} (${r.sequences} x ${r.length})\n${generationTable(r.rows)}`);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, v) => a + v, 0) / xs.length;

export function ls4Markdown(r: Ls4Result): string {
  const lines = [
    `### LS4 generation on Monash files (${r.budget.seeds} seeds; LS4 at its default size, ${r.budget.epochs} epochs)`,
    '',
    "Real set: the last T values of every complete series, each z-scored by itself; as many sequences generated. Marginal: lower is better; classification (a discriminator's test cross-entropy): higher is better, ln 2 = 0.693 is indistinguishable; prediction (next-step MSE on real data of a predictor trained on generated data): lower is better. Mean ± std over seeds (metric networks seeded alike, LS4's budget: 100 epochs).",
  ];
  for (const d of r.datasets) {
    const ls4 = d.rows.filter((x) => x.name === 'LS4');
    const others = [...new Set(d.rows.filter((x) => x.name !== 'LS4').map((x) => x.name))].map((n) =>
      d.rows.filter((x) => x.name === n),
    );
    const metric = (rows: GenerationEvalRow[], k: 'marginal' | 'classification' | 'prediction') =>
      mean(rows.map((x) => x[k]));
    const wins = [
      others.every((o) => metric(ls4, 'marginal') < metric(o, 'marginal')) ? 'marginal' : null,
      others.every((o) => metric(ls4, 'classification') > metric(o, 'classification'))
        ? 'classification'
        : null,
      others.every((o) => metric(ls4, 'prediction') < metric(o, 'prediction')) ? 'prediction' : null,
    ].filter(Boolean);
    lines.push(
      '',
      `**${d.name}** (${d.sequences} sequences x ${d.length}; load ${d.load}; LS4 fit ${mean(ls4.map((x) => x.fitSeconds)).toFixed(0)} s)`,
      '',
      generationTable(d.rows),
      '',
      `LS4 better than both classical generators on: ${wins.length ? wins.join(', ') : 'no metric'}.`,
    );
  }
  return lines.join('\n');
}
