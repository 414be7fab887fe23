import type { BacktestResult, ModelSummary } from '../backtest/backtest-types';
import { escapeMarkdownCell, markdownCode as code } from './escape';
import { markdownTable as table } from './markdown-table';
import { seriesLabel, seriesList, titled } from './series-label';
import { LineSeries, modelStroke, renderLineChart, TRUTH_STROKE } from './svg-line-chart';

export interface BacktestReportOptions {
  title: string;
  /** Dataset name or id (and version), shown in the settings table. */
  dataset?: string;
  /** Target column, shown in the settings table. */
  target?: string;
  /** Names of the series' channels by index, to name the charted channel; else its number. */
  channelNames?: string[];
  /** File name the Markdown links the chart by; default 'forecasts.svg'. */
  chartFileName?: string;
}

/** The per-horizon table lists every step up to this horizon, a selection beyond it. */
const ALL_STEPS_UP_TO = 24;

/** Numbers at 4 significant digits, plainly; 'n/a' where undefined. */
export function formatMetric(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e6 || a < 1e-4) return v.toExponential(3);
  return String(Number(v.toPrecision(4)));
}

/**
 * A Markdown report of a backtest (settings, metrics with the best model per column in
 * bold, error by horizon step, a link to the chart) and the SVG chart of forecasts
 * against the truth that it links to. Deterministic: the same result gives the same bytes.
 */
export function renderBacktestReport(
  result: BacktestResult,
  options: BacktestReportOptions,
): { markdown: string; svg: string } {
  const chartFileName = options.chartFileName ?? 'forecasts.svg';
  const s = result.settings;
  const md: string[] = [];
  md.push(`# ${escapeMarkdownCell(options.title)}`, '');

  md.push('## Settings', '');
  const settings: Array<[string, string]> = [];
  if (options.dataset !== undefined) settings.push(['dataset', options.dataset]);
  if (options.target !== undefined) settings.push(['target', options.target]);
  settings.push(
    ['models', s.models.join(', ')],
    ['series', seriesList(s.series.map((p) => p.key))],
    ['channel', channelCell(s.channel, options.channelNames)],
    ['lookback', String(s.lookback)],
    ['horizon', String(s.horizon)],
    ['folds', String(s.folds)],
    ['step between origins', String(s.step)],
    [
      'refit',
      s.refit === 'once'
        ? 'once, on the data before the first origin'
        : 'before every fold, on the data before its origin',
    ],
    ['MASE seasonality m', String(s.seasonality)],
    ['forecast points per model', String(result.overall[0]?.count ?? 0)],
  );
  md.push(
    ...table(
      ['setting', 'value'],
      settings.map(([k, v]) => [k, escapeMarkdownCell(v)]),
    ),
    '',
  );

  md.push('## Metrics', '');
  md.push(
    'Averaged over all forecast points of all series and folds; lower is better, the best in each column in bold. sMAPE is in percent (0 to 200); MASE divides by the in-sample MAE of the seasonal-naive forecast on the training part. CRPS scores the whole forecast distribution (exact over sample paths, from stored quantiles otherwise); for a point forecast it equals the MAE.',
    '',
  );
  const columns: Array<[string, (m: ModelSummary) => number]> = [
    ['MSE', (m) => m.mse],
    ['MAE', (m) => m.mae],
    ['sMAPE (%)', (m) => m.smape],
    ['MASE', (m) => m.mase],
    ['CRPS', (m) => m.crps],
  ];
  const best = columns.map(([, get]) => minimum(result.overall.map(get)));
  md.push(
    ...table(
      ['model', ...columns.map(([name]) => name)],
      result.overall.map((m) => [
        escapeMarkdownCell(m.model),
        ...columns.map(([, get], c) => bold(formatMetric(get(m)), get(m) === best[c])),
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r'],
    ),
    '',
  );

  md.push('## Error by horizon step', '');
  const steps = horizonSteps(s.horizon);
  md.push(
    `MSE at each step ahead, over all series and folds${steps.length < s.horizon ? ` (${steps.length} of ${s.horizon} steps shown)` : ''}; the best model per step in bold.`,
    '',
  );
  md.push(
    ...table(
      ['step', ...result.overall.map((m) => escapeMarkdownCell(m.model))],
      steps.map((h) => {
        const values = result.overall.map((m) => m.perStep.mse[h - 1]);
        const low = minimum(values);
        return [String(h), ...values.map((v) => bold(formatMetric(v), v === low))];
      }),
      ['r', ...result.overall.map(() => 'r' as const)],
    ),
    '',
  );

  md.push('## Forecasts against truth', '');
  const c = result.chart;
  const shown = seriesLabel({ key: c.series, channel: options.channelNames?.[c.channel] ?? c.channel }, code);
  md.push(
    `${shown.charAt(0).toUpperCase()}${shown.slice(1)}: the truth and each model's forecast from every origin (dashed vertical lines).`,
    '',
  );
  md.push(
    `![forecasts](${encodeURI(chartFileName).replace(/[()]/g, (ch) => (ch === '(' ? '%28' : '%29'))})`,
    '',
  );

  return { markdown: md.join('\n'), svg: renderBacktestChart(result, options.title, options.channelNames) };
}

/**
 * The chart: the truth in black beneath, then each model in its colour and dash pattern by
 * its position in the model list (the interval chart uses the same), a little transparent so
 * a model drawn over another or over the truth leaves it visible; folds as separate segments.
 */
export function renderBacktestChart(result: BacktestResult, title: string, channelNames?: string[]): string {
  const c = result.chart;
  const lines: LineSeries[] = [{ name: 'truth', x: c.times, y: c.truth, ...TRUTH_STROKE }];
  result.settings.models.forEach((model, i) => {
    const x: number[] = [];
    const y: number[] = [];
    for (const f of c.forecasts) {
      if (f.model !== model) continue;
      // A NaN point between folds breaks the line, so overlapping folds stay separate.
      if (x.length) {
        x.push(NaN);
        y.push(NaN);
      }
      x.push(...f.times);
      y.push(...f.values);
    }
    lines.push({ name: model, x, y, ...modelStroke(i) });
  });
  // the channel is worth a title's words only when it is one of several
  const label = seriesLabel({
    key: c.series,
    channel: channelNames && channelNames.length > 1 ? channelNames[c.channel] : undefined,
  });
  return renderLineChart({
    title: titled(title, label),
    series: lines,
    verticalRules: c.originTimes,
    xType: 'time',
    xLabel: 'time (UTC)',
  });
}

/** The settings table's channel cell: the number or 'all', with the names when known. */
function channelCell(channel: number | 'all', names?: string[]): string {
  if (channel === 'all')
    return !names?.length ? 'all' : names.length === 1 ? names[0] : `all (${names.join(', ')})`;
  const name = names?.[channel];
  return name ? `${name} (${channel})` : String(channel);
}

/** Steps 1..H when short; else about 12 steps spread over 1..H, always with 1 and H. */
function horizonSteps(horizon: number): number[] {
  if (horizon <= ALL_STEPS_UP_TO) return Array.from({ length: horizon }, (_, i) => i + 1);
  const picks = new Set<number>([1]);
  for (let i = 1; i <= 11; i++) picks.add(Math.max(1, Math.round((i * horizon) / 11)));
  return [...picks].sort((a, b) => a - b);
}

function minimum(values: number[]): number {
  const finite = values.filter((v) => !Number.isNaN(v));
  return finite.length ? Math.min(...finite) : NaN;
}

const bold = (text: string, on: boolean) => (on ? `**${text}**` : text);
