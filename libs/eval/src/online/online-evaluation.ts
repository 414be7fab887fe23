import { WorkContext } from '@seqcast/core';
import { forecasterRegistry } from '@seqcast/forecast';
import { formatMetric } from '../report/backtest-report';
import { escapeMarkdownCell } from '../report/escape';
import { markdownTable } from '../report/markdown-table';
import { OnlineProtocolRow, runOnlineProtocol } from './online-protocol';

export interface OnlineEvaluationOptions {
  models: { name: string; kind: string; config: Record<string, unknown> }[];
  adapters: { name: string; method: string; options: Record<string, unknown> }[];
  series: { key: string; values: Float32Array }[];
  lookback: number;
  horizon: number;
  /** Fractions of each series for train and validation (the rest is the test stream). */
  train: number;
  valid: number;
  intervals?: { method: string; alpha: number; options?: Record<string, unknown> };
}

/** One model x adapter over every series: windows-weighted means. */
export interface OnlineEvaluationRow extends Omit<OnlineProtocolRow, 'msPerStep'> {
  series: number;
}

export interface OnlineEvaluationResult {
  rows: OnlineEvaluationRow[];
  /** Series too short for the protocol (lookback + horizon within each part), skipped. */
  skipped: string[];
  markdown: string;
}

/**
 * The online protocol (runOnlineProtocol) for an evaluation: every model x adapter on every
 * series long enough, the rows pooled over series (MSE / MAE / coverage weighted by windows).
 */
export async function runOnlineEvaluation(
  o: OnlineEvaluationOptions,
  ctx: WorkContext,
): Promise<OnlineEvaluationResult> {
  const pooled = new Map<string, { row: OnlineEvaluationRow; n: number }>();
  const skipped: string[] = [];
  const runs = o.series.length * o.models.length;
  let done = 0;
  for (const s of o.series) {
    const T = s.values.length;
    const trainEnd = Math.floor(T * o.train);
    const validEnd = Math.floor(T * (o.train + o.valid));
    if (trainEnd <= o.lookback + o.horizon || validEnd - trainEnd < o.horizon || T - validEnd < o.horizon) {
      skipped.push(s.key);
      continue;
    }
    for (const m of o.models) {
      const rows = await runOnlineProtocol(
        {
          channels: [s.values],
          lookback: o.lookback,
          horizon: o.horizon,
          trainEnd,
          validEnd,
          model: { name: m.name, create: () => forecasterRegistry.create(m.kind, m.config) },
          adapters: o.adapters,
          intervals: o.intervals,
        },
        {
          signal: ctx.signal,
          progress: (f, msg) => ctx.progress((done + f) / runs, `${s.key} / ${m.name}: ${msg}`),
        },
      );
      done++;
      for (const r of rows) {
        const key = `${r.model}\u0000${r.adapter}`;
        const hit = pooled.get(key);
        if (!hit) {
          const { msPerStep: _ms, ...rest } = r;
          pooled.set(key, { row: { ...rest, series: 1 }, n: r.windows });
          continue;
        }
        const w = (a: number | undefined, b: number | undefined) =>
          a === undefined || b === undefined ? undefined : (a * hit.n + b * r.windows) / (hit.n + r.windows);
        hit.row = {
          ...hit.row,
          series: hit.row.series + 1,
          windows: hit.row.windows + r.windows,
          mse: w(hit.row.mse, r.mse)!,
          mae: w(hit.row.mae, r.mae)!,
          coverage: w(hit.row.coverage, r.coverage),
          width: w(hit.row.width, r.width),
        };
        hit.n += r.windows;
      }
    }
  }
  const rows = [...pooled.values()].map((p) => p.row);
  const head = [
    'model',
    'adapter',
    'series',
    'windows',
    'MSE',
    'MAE',
    'parameters',
    ...(o.intervals ? ['coverage', 'width'] : []),
  ];
  const body = rows.map((r) => [
    r.model,
    r.adapter,
    String(r.series),
    String(r.windows),
    formatMetric(r.mse),
    formatMetric(r.mae),
    String(r.parameterCount),
    ...(o.intervals ? [formatMetric(r.coverage ?? NaN), formatMetric(r.width ?? NaN)] : []),
  ]);
  const markdown = [
    '## Online adaptation',
    '',
    `Each series split in time order (train ${o.train}, validation ${o.valid}, the rest a test stream fed one step at a time); every model fitted on train and frozen; each window forecast before any of its truths arrive; values standardised by the train part (MSE / MAE in those units).${o.intervals ? ` Intervals: ${o.intervals.method} at ${1 - o.intervals.alpha}, fitted on validation residuals, each step updated as soon as its truth is observed.` : ''}${skipped.length ? ` Skipped (too short): ${skipped.join(', ')}.` : ''}`,
    '',
    ...markdownTable(
      head,
      body.map((r) => r.map(escapeMarkdownCell)),
    ),
    '',
  ].join('\n');
  return { rows, skipped, markdown };
}
