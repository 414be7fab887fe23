/**
 * A small Prometheus registry writing the text exposition format 0.0.4: counters, gauges
 * and histograms with labels. Small enough to own, and it keeps a dependency out of the image.
 */

export type Labels = Record<string, string>;

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const formatValue = (v: number) =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);

function labelText(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((k) => `${k}="${escapeLabel(labels[k])}"`).join(',')}}`;
}

/** Series are keyed by their label values in the metric's label order. */
abstract class Metric<S> {
  protected readonly series = new Map<string, { labels: Labels; state: S }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly string[],
  ) {}

  abstract readonly type: 'counter' | 'gauge' | 'histogram';
  protected abstract fresh(): S;
  protected abstract lines(labels: Labels, state: S): string[];

  protected at(labels: Labels): S {
    const ordered: Labels = {};
    for (const n of this.labelNames) ordered[n] = labels[n] ?? '';
    const key = JSON.stringify(Object.values(ordered));
    let s = this.series.get(key);
    if (!s) {
      s = { labels: ordered, state: this.fresh() };
      this.series.set(key, s);
    }
    return s.state;
  }

  render(): string {
    const out = [
      `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`,
      `# TYPE ${this.name} ${this.type}`,
    ];
    for (const { labels, state } of this.series.values()) out.push(...this.lines(labels, state));
    return out.join('\n');
  }
}

export class Counter extends Metric<{ v: number }> {
  readonly type = 'counter';
  protected fresh() {
    return { v: 0 };
  }
  inc(labels: Labels = {}, by = 1): void {
    this.at(labels).v += by;
  }
  /** Mirrors a running total kept elsewhere (read at scrape); it only ever grows there. */
  setTotal(labels: Labels, total: number): void {
    this.at(labels).v = total;
  }
  protected lines(labels: Labels, s: { v: number }) {
    return [`${this.name}${labelText(labels)} ${formatValue(s.v)}`];
  }
}

export class Gauge extends Metric<{ v: number }> {
  readonly type = 'gauge';
  protected fresh() {
    return { v: 0 };
  }
  set(labels: Labels, value: number): void {
    this.at(labels).v = value;
  }
  /** Forgets every series: for gauges whose label sets come and go (running jobs). */
  clear(): void {
    this.series.clear();
  }
  protected lines(labels: Labels, s: { v: number }) {
    return [`${this.name}${labelText(labels)} ${formatValue(s.v)}`];
  }
}

interface HistogramState {
  counts: number[];
  sum: number;
  count: number;
}

export class Histogram extends Metric<HistogramState> {
  readonly type = 'histogram';

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    private readonly buckets: readonly number[],
  ) {
    super(name, help, labelNames);
  }

  protected fresh(): HistogramState {
    return { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
  }

  observe(labels: Labels, value: number): void {
    const s = this.at(labels);
    // Buckets are cumulative in the exposition; each keeps its own count and render adds up.
    const i = this.buckets.findIndex((b) => value <= b);
    if (i >= 0) s.counts[i]++;
    s.sum += value;
    s.count++;
  }

  protected lines(labels: Labels, s: HistogramState) {
    const out: string[] = [];
    let cumulative = 0;
    this.buckets.forEach((b, i) => {
      cumulative += s.counts[i];
      out.push(`${this.name}_bucket${labelText({ ...labels, le: formatValue(b) })} ${cumulative}`);
    });
    out.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${s.count}`);
    out.push(`${this.name}_sum${labelText(labels)} ${formatValue(s.sum)}`);
    out.push(`${this.name}_count${labelText(labels)} ${s.count}`);
    return out;
  }
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function renderAll(metrics: ReadonlyArray<{ render(): string }>): string {
  return metrics.map((m) => m.render()).join('\n') + '\n';
}
