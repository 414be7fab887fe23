import { useMemo, useState } from 'preact/hooks';
import { apiBlob } from '../api';
import {
  coverageChartData,
  defaultWindow,
  forecastChartData,
  intervalChartData,
  originCount,
} from '../pages/evaluations-data';
import type { BacktestResultJson } from '../pages/evaluations-types';
import { TimeChart } from './time-chart';

/**
 * A link to one of the report's SVG charts. Opened through the API client, so it also works
 * where the server asks for an API key (a plain link could not send it).
 */
export function SvgLink({ path, label }: { path: string; label: string }) {
  const open = async (e: Event) => {
    e.preventDefault();
    const w = window.open('', '_blank');
    try {
      const blob = await apiBlob(path);
      const url = URL.createObjectURL(new Blob([blob], { type: 'image/svg+xml' }));
      if (w) w.location.href = url;
      else location.href = url;
    } catch {
      w?.close();
    }
  };
  return (
    <a href={path} onClick={open} class="svg-link">
      {label}
    </a>
  );
}

/** The backtest's forecasts against truth, and its intervals with their coverage over time, redrawn from result.json. */
export function BacktestCharts({ id, result }: { id: string; result: BacktestResultJson }) {
  const forecasts = useMemo(() => (result.chart ? forecastChartData(result.chart) : null), [result]);
  const intervals = useMemo(
    () => (result.intervalChart ? intervalChartData(result.intervalChart, result.chart) : null),
    [result],
  );
  const ic = result.intervalChart;
  const [windowOrigins, setWindow] = useState(() => (ic ? defaultWindow(ic) : 1));
  const coverage = useMemo(() => (ic ? coverageChartData(ic, windowOrigins) : null), [ic, windowOrigins]);
  const series = (key: string | undefined) => (key ? ` (series ${key})` : '');
  return (
    <div class="eval-charts">
      {forecasts && (
        <div>
          <TimeChart
            title={`Forecasts against truth at each fold${series(result.chart?.series)}`}
            x={forecasts.x}
            lines={forecasts.lines}
            testId="eval-forecasts-chart"
          />
          <SvgLink path={`/evaluations/${id}/forecasts.svg`} label="The report's chart (SVG)" />
        </div>
      )}
      {intervals && ic && (
        <div>
          <TimeChart
            title={`${Math.round(ic.level * 100)}% intervals at each origin${series(ic.series)}`}
            x={intervals.x}
            lines={intervals.lines}
            bands={intervals.bands}
            testId="eval-intervals-chart"
          />
          <SvgLink path={`/evaluations/${id}/intervals.svg`} label="The report's interval chart (SVG)" />
        </div>
      )}
      {coverage && ic && (
        <div>
          <label class="form-field window-field">
            Coverage window (origins)
            <input
              type="number"
              min={1}
              max={originCount(ic)}
              value={windowOrigins}
              onChange={(e) => {
                const v = Math.round(Number(e.currentTarget.value));
                if (v >= 1 && v <= originCount(ic)) setWindow(v);
              }}
            />
            <span class="hint">The report's rolling coverage uses {ic.rollingOrigins}.</span>
          </label>
          <TimeChart
            title={`Coverage over windows of ${windowOrigins} origins, against the nominal ${Math.round(ic.level * 100)}%`}
            x={coverage.x}
            lines={coverage.lines}
            yLabel="coverage"
            height={240}
            testId="eval-coverage-chart"
          />
          <p class="hint muted">
            Each point is the share of truths inside their interval over the {windowOrigins} origins (every
            step of each) ending there{series(ic.series)}.
          </p>
        </div>
      )}
    </div>
  );
}
