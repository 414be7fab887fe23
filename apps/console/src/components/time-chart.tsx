import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

// One chart for every page: uPlot (canvas, made for long time series: 100k points stay
// responsive). Zoom by dragging across the plot or with the buttons, pan with the buttons or
// the arrow keys when the chart has focus, reset by double-click or the button. What the chart
// shows is also written on its wrapper (data-lines, data-bands, data-points), so tests and
// assistive technology read the state without reading pixels.

export interface ChartLine {
  label: string;
  y: ArrayLike<number | null>;
  color: string;
  /** Canvas dash pattern, e.g. [6, 4]; solid when absent. */
  dash?: number[];
  width?: number;
  /** Draw points only (e.g. events on a timeline). */
  points?: boolean;
}

export interface ChartBand {
  label: string;
  lower: ArrayLike<number | null>;
  upper: ArrayLike<number | null>;
  color: string;
}

export interface TimeChartProps {
  /** x values: UTC milliseconds when `time` (default), else plain numbers. */
  x: ArrayLike<number>;
  lines: ChartLine[];
  bands?: ChartBand[];
  time?: boolean;
  height?: number;
  /** Read out to screen readers and shown above the chart. */
  title: string;
  xLabel?: string;
  yLabel?: string;
  testId?: string;
  /** Categorical y: ticks only at 0, 1, ... labelled with these names (e.g. event types, one row each). */
  yCategories?: string[];
}

export function withAlpha(hex: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return hex;
  return `rgba(${parseInt(m[1], 16)}, ${parseInt(m[2], 16)}, ${parseInt(m[3], 16)}, ${alpha})`;
}

/** Shifts or scales the visible x range: pan by a fraction of it, or zoom around its centre. */
function moveRange(u: uPlot, pan: number, zoom: number): void {
  const { min, max } = u.scales.x;
  if (min === undefined || max === undefined) return;
  const span = max - min;
  const mid = (min + max) / 2 + pan * span;
  u.setScale('x', { min: mid - (span * zoom) / 2, max: mid + (span * zoom) / 2 });
}

/**
 * The y axis as wide as its longest tick label: uPlot's fixed 50 px cut '40,000' to '0,000'.
 * (uPlot's own autosize recipe: measured in the axis font, fixed after the second layout pass.)
 */
function fitTickLabels(u: uPlot, values: string[] | null, axisIdx: number, cycleNum: number): number {
  const axis = u.axes[axisIdx] as uPlot.Axis & { _size?: number; font?: string[] };
  if (cycleNum > 1 && axis._size) return axis._size;
  const longest = (values ?? []).reduce((a, v) => (v.length > a.length ? v : a), '');
  let size = ((axis.ticks as { size?: number } | undefined)?.size ?? 10) + (axis.gap ?? 5);
  if (longest) {
    u.ctx.font = axis.font?.[0] ?? u.ctx.font;
    size += u.ctx.measureText(longest).width / devicePixelRatio;
  }
  return Math.max(50, Math.ceil(size));
}

export function TimeChart(props: TimeChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const time = props.time ?? true;
  const bands = props.bands ?? [];

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    // Lines first, then each band as its upper and lower edge series (thin, in the band's colour),
    // which uPlot's `bands` fills between.
    const data: uPlot.AlignedData = [
      Array.from(props.x),
      ...props.lines.map((l) => Array.from(l.y)),
      ...bands.flatMap((b) => [Array.from(b.upper), Array.from(b.lower)]),
    ] as uPlot.AlignedData;
    const series: uPlot.Series[] = [
      { label: props.xLabel ?? (time ? 'time (UTC)' : 'x') },
      ...props.lines.map<uPlot.Series>((l) => ({
        label: l.label,
        stroke: l.color,
        width: l.width ?? 1.5,
        dash: l.dash,
        spanGaps: false,
        ...(l.points
          ? { paths: () => null, points: { show: true, size: 7, fill: l.color, stroke: l.color } }
          : { points: { show: false } }),
      })),
      ...bands.flatMap<uPlot.Series>((b) => [
        { label: b.label, stroke: withAlpha(b.color, 0.7), width: 0.75, points: { show: false } },
        { label: `${b.label} lower`, stroke: withAlpha(b.color, 0.7), width: 0.75, points: { show: false } },
      ]),
    ];
    const first = props.lines.length + 1;
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: props.height ?? 320,
      ms: time ? 1 : 1e-3,
      scales: { x: { time } },
      axes: [
        { label: props.xLabel },
        props.yCategories
          ? {
              label: props.yLabel,
              size: fitTickLabels,
              splits: () => props.yCategories!.map((_, i) => i),
              values: (_u: uPlot, ticks: number[]) => ticks.map((t) => props.yCategories![t] ?? ''),
            }
          : { label: props.yLabel, size: fitTickLabels },
      ],
      ...(props.yCategories
        ? {
            scales: {
              x: { time },
              y: { range: [-0.5, props.yCategories.length - 0.5] as uPlot.Range.MinMax },
            },
          }
        : {}),
      series,
      // Light fills, each band outlined by its edges, so overlapping bands stay readable.
      bands: bands.map((b, i) => ({
        series: [first + 2 * i, first + 2 * i + 1] as [number, number],
        fill: withAlpha(b.color, 0.14),
      })),
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
    };
    const u = new uPlot(opts, data, el.querySelector<HTMLDivElement>('.chart-canvas')!);
    plot.current = u;
    // One legend entry per band (its upper edge, named after the band): the lower edges' entries go.
    const legendRows = u.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
    bands.forEach((_, i) => legendRows[first + 2 * i + 1]?.style.setProperty('display', 'none'));
    const resize = new ResizeObserver(() =>
      u.setSize({ width: Math.max(300, el.clientWidth), height: props.height ?? 320 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [props.x, props.lines, props.bands, time, props.height, props.yCategories]);

  const onKey = (e: KeyboardEvent) => {
    const u = plot.current;
    if (!u) return;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-0.2, 1],
      ArrowRight: [0.2, 1],
      '+': [0, 0.5],
      '-': [0, 2],
    };
    const m = moves[e.key];
    if (m) {
      e.preventDefault();
      moveRange(u, m[0], m[1]);
    }
  };
  const reset = () => plot.current?.setData(plot.current.data, true);

  return (
    <figure class="chart" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <div
        ref={host}
        class="chart-host"
        role="img"
        aria-label={`${props.title}: ${[...props.lines.map((l) => l.label), ...bands.map((b) => b.label)].join(', ')}`}
        tabIndex={0}
        onKeyDown={onKey}
        data-lines={props.lines.map((l) => l.label).join('|')}
        data-bands={bands.map((b) => b.label).join('|')}
        data-points={props.lines.map((l) => countFinite(l.y)).join('|')}
      >
        <div class="chart-canvas" />
      </div>
      <div class="chart-tools" role="group" aria-label="zoom and pan">
        <button
          type="button"
          onClick={() => plot.current && moveRange(plot.current, -0.2, 1)}
          aria-label="pan left"
        >
          ←
        </button>
        <button
          type="button"
          onClick={() => plot.current && moveRange(plot.current, 0, 0.5)}
          aria-label="zoom in"
        >
          +
        </button>
        <button
          type="button"
          onClick={() => plot.current && moveRange(plot.current, 0, 2)}
          aria-label="zoom out"
        >
          −
        </button>
        <button
          type="button"
          onClick={() => plot.current && moveRange(plot.current, 0.2, 1)}
          aria-label="pan right"
        >
          →
        </button>
        <button type="button" onClick={reset}>
          reset zoom
        </button>
      </div>
    </figure>
  );
}

function countFinite(y: ArrayLike<number | null>): number {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (y[i] !== null && Number.isFinite(y[i] as number)) n++;
  return n;
}
