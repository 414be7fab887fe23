import { Forecast } from '@seqcast/forecast';
import { formatMetric } from './backtest-report';
import { escapeMarkdownCell, markdownCode as code } from './escape';
import { markdownTable } from './markdown-table';
import { seriesLabel, titled } from './series-label';
import { LineSeries, modelStroke, renderLineChart } from './svg-line-chart';

export interface ForecastReportOptions {
  title: string;
  /** File name the Markdown links the chart by; default 'forecast.svg'. */
  chartFileName?: string;
  /** Levels of the sample paths' empirical quantiles shown per step; default 5%, 50%, 95%. */
  sampleLevels?: number[];
}

const iso = (t: number | null | undefined) =>
  t === null || t === undefined ? 'n/a' : new Date(t).toISOString();
const percent = (q: number) => `${Number((q * 100).toFixed(6))}%`;

/**
 * A Markdown report of one forecast, whatever it carries: what it is of (series, origin,
 * frequency, model version), then per channel a table of every step with the point value,
 * each interval's bounds, each stored quantile and the sample paths' quantiles; and the SVG
 * chart it links (each channel's point path, shaded by its widest interval or sample band).
 * Deterministic: the same forecast gives the same bytes.
 */
export function renderForecastReport(
  f: Forecast,
  options: ForecastReportOptions,
): { markdown: string; svg: string } {
  const chartFileName = options.chartFileName ?? 'forecast.svg';
  const sampleLevels = options.sampleLevels ?? [0.05, 0.5, 0.95];
  const m = f.meta;
  const md: string[] = [`# ${escapeMarkdownCell(options.title)}`, ''];
  const about: Array<[string, string]> = [
    ['series', m.seriesKey ? code(m.seriesKey) : 'n/a'],
    ['origin (last observation)', iso(m.origin)],
    ['first step', iso(f.start)],
    ['frequency', m.frequency ?? 'n/a'],
    ['horizon', String(f.horizon)],
    ['channels', f.channelNames.map(code).join(', ')],
    ['model version', m.modelVersion ?? 'n/a'],
  ];
  if (f.intervalLevels.length) {
    const by = m.intervalSource
      ? ` (${m.intervalSource.method}, calibrator ${m.intervalSource.calibratorId})`
      : '';
    about.push(['intervals', `${f.intervalLevels.map((l) => `${l}%`).join(', ')}${by}`]);
  }
  if (f.levels.length) about.push(['quantiles', f.levels.map(percent).join(', ')]);
  if (f.hasSamples) about.push(['sample paths', String(f.sampleCount)]);
  md.push(
    '## Forecast',
    '',
    ...markdownTable(
      ['', ''],
      about.map(([k, v]) => [k, v]),
    ),
    '',
  );

  const stamps = f.timestamps();
  const bands = f.intervalLevels.map((l) => ({ l, band: f.interval(l) }));
  const fromSamples = f.hasSamples ? new Forecast({ point: f.point(), samples: f.samples()! }) : null;
  const sampleQuantiles = fromSamples ? sampleLevels.map((q) => ({ q, paths: fromSamples.quantile(q) })) : [];
  const header = [
    'step',
    'timestamp',
    'value',
    ...bands.flatMap(({ l }) => [`lo-${l}`, `hi-${l}`]),
    ...f.levels.map((q) => `q-${q}`),
    ...sampleQuantiles.map(({ q }) => `samples ${percent(q)}`),
  ];
  f.channelNames.forEach((name, c) => {
    const quantiles = f.levels.map((q) => f.quantile(q)[c]);
    const rows = Array.from({ length: f.horizon }, (_, h) => [
      String(h + 1),
      stamps ? iso(stamps[h]) : 'n/a',
      formatMetric(f.at(h, c)),
      ...bands.flatMap(({ band }) => [formatMetric(band.lower[c][h]), formatMetric(band.upper[c][h])]),
      ...quantiles.map((p) => formatMetric(p[h])),
      ...sampleQuantiles.map(({ paths }) => formatMetric(paths[c][h])),
    ]);
    md.push(
      `## Channel ${code(name)}`,
      '',
      ...markdownTable(
        header,
        rows,
        header.map((_, i) => (i === 1 ? 'l' : 'r')),
      ),
      '',
    );
  });
  md.push(
    `![forecast](${encodeURI(chartFileName).replace(/[()]/g, (ch) => (ch === '(' ? '%28' : '%29'))})`,
    '',
  );
  return { markdown: md.join('\n'), svg: renderForecastChart(f, options.title, sampleLevels) };
}

/** Each channel's point path, with its widest interval (else the outer sample quantiles) as a band. */
export function renderForecastChart(f: Forecast, title: string, sampleLevels = [0.05, 0.95]): string {
  const stamps = f.timestamps();
  const x = stamps ?? Array.from({ length: f.horizon }, (_, h) => h + 1);
  const widest = f.intervalLevels.at(-1);
  const band = widest !== undefined ? f.interval(widest) : null;
  const outer = [Math.min(...sampleLevels), Math.max(...sampleLevels)];
  const fromSamples =
    !band && f.hasSamples && outer[0] < outer[1]
      ? new Forecast({ point: f.point(), samples: f.samples()! })
      : null;
  const lines: LineSeries[] = f.channelNames.map((name, c) => ({
    name,
    x,
    y: f.channel(c),
    // channels take the models' styles by position: distinct, and the same as in the console
    ...modelStroke(c),
    ...(band ? { band: { lower: band.lower[c], upper: band.upper[c] } } : {}),
    ...(fromSamples
      ? { band: { lower: fromSamples.quantile(outer[0])[c], upper: fromSamples.quantile(outer[1])[c] } }
      : {}),
  }));
  return renderLineChart({
    title: titled(title, seriesLabel({ key: f.meta.seriesKey })),
    series: lines,
    xType: stamps ? 'time' : 'linear',
    xLabel: stamps ? 'time (UTC)' : 'step',
  });
}
