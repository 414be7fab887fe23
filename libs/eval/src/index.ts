// @seqcast/eval: point metrics, rolling-origin backtests and their reports (Markdown and
// a server-side SVG chart). Plain TypeScript; HTTP, CLI and jobs wire it elsewhere.

// metrics
export { mse, mae, smape, smapeTerm, mase, seasonalNaiveScale, PointErrorAccumulator } from '@seqcast/numeric';
export type { PointMetrics } from '@seqcast/numeric';

// backtesting
export { runBacktest } from './backtest/rolling-origin';
export { foldOrigins, requiredLength } from './backtest/fold-plan';
export type {
  BacktestOptions,
  BacktestModel,
  BacktestSeries,
  RefitPolicy,
  BacktestResult,
  BacktestSettings,
  SeriesPlan,
  FoldMetrics,
  ModelSummary,
  BacktestChartData,
  ChartForecast,
} from './backtest/backtest-types';

// reports and charts
export { renderBacktestReport, renderBacktestChart, formatMetric } from './report/backtest-report';
export type { BacktestReportOptions } from './report/backtest-report';
export { renderForecastReport, renderForecastChart } from './report/forecast-report';
export type { ForecastReportOptions } from './report/forecast-report';
export { renderLineChart, CHART_PALETTE } from './report/svg-line-chart';
export type { LineChartOptions, LineSeries, LineBand } from './report/svg-line-chart';
export { escapeXml, escapeMarkdownCell } from './report/escape';
