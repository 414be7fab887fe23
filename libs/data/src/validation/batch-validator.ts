import { Data, Field, Float64, RecordBatch, Schema, Struct, Type, Vector, makeData } from 'apache-arrow';
import { KeyAssigner, KeyRegistry } from '../arrow/key-ids';
import { numericView, timeValues } from '../arrow/column-values';
import { isDecimal, isNumeric, typeClass } from '../arrow/arrow-types';
import { DatasetRoles, keyColumnsOf } from '../schema/dataset-schema';
import { CategoryAccumulator, ColumnStats, NumericAccumulator } from '../stats/column-stats';
import { Frequency, addSteps, inferFrequencyFromPairs, stepsBetween } from '../time/frequency';
import { formatTimestamp } from '../time/parse-timestamp';
import { DEFAULT_LIMITS, IngestLimits, IssueCollector, tooLarge } from './issues';
import { Seq2SeqRowChecker } from './seq2seq-rows';
import { SeriesSummary, SeriesTable } from './series-state';

export type NanPolicy = 'reject' | 'missing';

export interface ValidationOptions {
  /** NaN and infinity in numeric columns: an error, or stored as missing (null). */
  nan: NanPolicy;
  /** Equal timestamps within a series: an error (series default) or allowed (event default: simultaneous events). */
  duplicates: 'reject' | 'allow';
  /** Reject series whose timestamps leave the inferred grid or skip stamps (gaps). */
  requireRegular: boolean;
  maxIssues: number;
  limits: IngestLimits;
  /** Shared with the importer that produced the batches, so all problems land in one list. */
  issues?: IssueCollector;
}

export function defaultValidationOptions(kind: DatasetRoles['kind']): ValidationOptions {
  return {
    nan: 'reject',
    // events may be simultaneous; a series or a seq2seq input stream has one row per stamp
    duplicates: kind === 'events' ? 'allow' : 'reject',
    requireRegular: false,
    maxIssues: 100,
    limits: DEFAULT_LIMITS,
  };
}

/** What is already stored, when validating appended rows. */
export interface PriorState {
  series: SeriesSummary[];
  frequency: Frequency | null;
}

export interface GapReport {
  /** Pairs of consecutive stamps more than one step apart. */
  count: number;
  /** Stamps missing in all those gaps. */
  missing: number;
  /** Pairs of consecutive stamps that are not on the grid at all. */
  irregular: number;
  examples: { key: string; after: string; before: string; missing: number }[];
}

export interface ValidationSummary {
  rowCount: number;
  /** The series (sequences) this upload touched, in first-seen order. */
  series: SeriesSummary[];
  timeStart: number | null;
  timeEnd: number | null;
  timeIsTimestamp: boolean;
  frequency: Frequency | null;
  gaps: GapReport | null;
  stats: Record<string, ColumnStats>;
}

const SAMPLE_PAIRS = 512;

/**
 * Checks a dataset batch by batch as it streams in, in one pass and in memory that
 * grows with the number of series, not rows: keys present, timestamps parseable and
 * strictly increasing within each series (across appends too), NaN/infinity by policy,
 * sequence targets constant, the frequency inferred from the first rows and every
 * later pair checked against it. Problems carry the 1-based row and the column.
 */
export class BatchValidator {
  private readonly issues: IssueCollector;
  private readonly keys: KeyAssigner;
  private readonly registry = new KeyRegistry();
  private readonly table = new SeriesTable();
  private readonly numeric = new Map<string, NumericAccumulator>();
  private readonly categories = new Map<string, { assigner: KeyAssigner; counts: number[]; nulls: number }>();
  private readonly targetAssigner: KeyAssigner | null;
  private readonly seq2seq: Seq2SeqRowChecker | null;
  private readonly timeIsTimestamp: boolean;
  private rows = 0;
  private timeStart = Infinity;
  private timeEnd = -Infinity;
  private frequency: Frequency | null | undefined;
  private pending: { sid: number; a: number; b: number; row: number }[] = [];
  private gaps: GapReport = { count: 0, missing: 0, irregular: 0, examples: [] };
  private readonly replaced = new Map<string, Data>();
  /** Ids and times of the batch being checked, reused batch after batch (upload slices are at most 16384 rows). */
  private ids = new Int32Array(0);
  private times = new Float64Array(0);
  /** The schema stored batches carry (see `outputSchema`). */
  readonly output: Schema;

  constructor(
    private readonly roles: DatasetRoles,
    private readonly schema: Schema,
    private readonly options: ValidationOptions,
    prior?: PriorState,
  ) {
    this.issues = options.issues ?? new IssueCollector(options.maxIssues);
    if (schema.fields.length > options.limits.maxColumns)
      throw tooLarge('columns', options.limits.maxColumns);
    this.keys = new KeyAssigner(keyColumnsOf(roles), this.registry);
    const typeOf = new Map(schema.fields.map((f) => [f.name, f.type]));
    this.timeIsTimestamp = typeClass(typeOf.get(roles.timeColumn)!) === 'timestamp';
    const categorical: string[] = [];
    const numericCols: string[] = [];
    const all =
      roles.kind === 'series'
        ? [...roles.valueColumns, ...roles.knownCovariates, ...roles.pastCovariates]
        : roles.kind === 'seq2seq'
          ? [...roles.inputColumns, ...roles.targetColumns]
          : [
              ...(roles.typeColumn ? [roles.typeColumn] : []),
              ...roles.numericFeatures,
              ...roles.categoricalFeatures,
              ...(roles.targetColumn ? [roles.targetColumn] : []),
            ];
    for (const c of all)
      (isNumeric(typeOf.get(c)!) && c !== (roles.kind === 'events' ? roles.typeColumn : null)
        ? numericCols
        : categorical
      ).push(c);
    for (const c of numericCols) this.numeric.set(c, new NumericAccumulator());
    this.output = outputSchema(schema, numericCols, options.nan);
    for (const c of categorical)
      this.categories.set(c, { assigner: new KeyAssigner([c]), counts: [], nulls: 0 });
    this.targetAssigner =
      roles.kind === 'events' && roles.targetColumn ? new KeyAssigner([roles.targetColumn]) : null;
    this.seq2seq =
      roles.kind === 'seq2seq'
        ? new Seq2SeqRowChecker(roles, this.registry, this.issues, prior?.series)
        : null;
    if (prior) this.loadPrior(prior);
    else if (roles.kind !== 'series') this.frequency = null;
  }

  private loadPrior(prior: PriorState): void {
    this.frequency = this.roles.kind === 'series' ? prior.frequency : null;
    for (const s of prior.series) {
      const sid = this.registry.idOf(s.key);
      this.table.ensure(sid + 1);
      this.table.last[sid] = s.last;
      if (this.targetAssigner && s.target !== undefined && s.target !== null)
        this.table.target[sid] = this.targetAssigner.registry.idOf(s.target);
    }
  }

  /** Validates one batch; returns it, with NaN/infinity turned into nulls under the `missing` policy. */
  accept(batch: RecordBatch): RecordBatch {
    const n = batch.numRows;
    const base = this.rows; // rows before this batch; row numbers are 1-based
    if (this.rows + n > this.options.limits.maxRows) throw tooLarge('rows', this.options.limits.maxRows);
    this.rows += n;
    const roles = this.roles;
    if (this.ids.length < n) {
      this.ids = new Int32Array(n);
      this.times = new Float64Array(n);
    }
    const ids = this.keys.assign(batch, this.ids);
    if (this.registry.size > this.options.limits.maxSeries)
      throw tooLarge('series', this.options.limits.maxSeries);
    const times = timeValues(batch.getChild(roles.timeColumn)!, this.times);
    const keyName = keyColumnsOf(roles).join(', ') || undefined;
    const t = this.table;
    t.ensure(this.registry.size);
    const strict = this.options.duplicates === 'reject';
    const track = roles.kind === 'series';
    let tmin = this.timeStart;
    let tmax = this.timeEnd;
    const first = t.first;
    const last = t.last;
    const rows = t.rows;
    // The common case, a pair exactly one fixed step apart, is checked inline; the rest
    // (gaps, calendar steps, the frequency not yet inferred) goes through observePair.
    const f = this.frequency;
    const step =
      track && f && !('monthEnd' in f) && !['M', 'Q', 'Y'].includes(f.unit) ? addSteps(0, 1, f) : NaN;
    // Rows come in runs of one series (long format): a run whose times are each exactly one
    // step (or, without a frequency to check, simply increasing) after the last is checked in
    // one tight pass over its times; any other run goes row by row, which finds and words
    // its problems in row order.
    const runs = track ? step === step : true;
    for (let i = 0; i < n;) {
      const sid = ids[i];
      let j = i + 1;
      while (j < n && ids[j] === sid) j++;
      if (runs && sid >= 0 && cleanRun(times, i, j, last[sid], track ? step : NaN, strict)) {
        const t0 = times[i];
        const t1 = times[j - 1];
        if (rows[sid] === 0) first[sid] = t0;
        last[sid] = t1;
        rows[sid] += j - i;
        if (t0 < tmin) tmin = t0;
        if (t1 > tmax) tmax = t1;
        i = j;
        continue;
      }
      for (; i < j; i++) {
        const sid = ids[i];
        const ti = times[i];
        if (sid < 0) {
          this.issues.add(base + i + 1, keyName, 'missing key');
          continue;
        }
        if (ti - ti !== 0) {
          this.issues.add(
            base + i + 1,
            roles.timeColumn,
            ti !== ti ? 'missing or unparseable time' : 'time is infinite',
          );
          continue;
        }
        const prev = last[sid];
        if (prev === prev) {
          if (ti < prev || (strict && ti === prev)) {
            this.issues.add(
              base + i + 1,
              roles.timeColumn,
              ti === prev
                ? `duplicate time ${this.show(ti)} in series ${this.registry.keys[sid]}`
                : `unsorted: time ${this.show(ti)} is earlier than ${this.show(prev)}, the previous time of series ${this.registry.keys[sid]} (use the sort option)`,
            );
            continue;
          }
          if (track && ti > prev && ti - prev !== step) this.observePair(sid, prev, ti, base + i + 1);
        }
        if (rows[sid] === 0) first[sid] = ti;
        last[sid] = ti;
        rows[sid]++;
        if (ti < tmin) tmin = ti;
        if (ti > tmax) tmax = ti;
      }
    }
    this.timeStart = tmin;
    this.timeEnd = tmax;
    this.replaced.clear();
    for (const [name, acc] of this.numeric) this.checkNumeric(batch, name, acc, base);
    for (const [name, cat] of this.categories) this.countCategories(batch, name, cat, base);
    if (this.targetAssigner) this.checkTargets(batch, ids, base);
    this.seq2seq?.accept(batch, ids, base);
    if (this.replaced.size === 0 && this.output === this.schema) return batch;
    return rebuildBatch(this.output, batch, this.replaced);
  }

  private show(t: number): string {
    return this.timeIsTimestamp ? formatTimestamp(t) : String(t);
  }

  private checkNumeric(batch: RecordBatch, name: string, acc: NumericAccumulator, base: number): void {
    const vector = batch.getChild(name)!;
    const { values, valid } = numericView(vector);
    // Statistics skip NaN and infinity; only when there were some are the rows looked up.
    const nonFinite = acc.addArray(values, valid);
    let bad: number[] | null = null;
    for (let i = 0; nonFinite > 0 && i < values.length; i++) {
      const v = values[i];
      if (v - v !== 0 && (valid === null || valid[i] === 1)) {
        // NaN or +-infinity
        if (this.options.nan === 'reject')
          this.issues.add(
            base + i + 1,
            name,
            v !== v
              ? 'NaN is not allowed (or set the nan policy to missing)'
              : 'infinity is not allowed (or set the nan policy to missing)',
          );
        else (bad ??= []).push(i);
      }
    }
    if (isDecimal(vector.type)) this.replaced.set(name, asFloat64(values, valid, bad));
    else if (bad) this.replaced.set(name, withNulls(vector, bad));
  }

  private countCategories(
    batch: RecordBatch,
    name: string,
    cat: { assigner: KeyAssigner; counts: number[]; nulls: number },
    base: number,
  ): void {
    const ids = cat.assigner.assign(batch);
    const isType = this.roles.kind === 'events' && name === this.roles.typeColumn;
    const vector = batch.getChild(name)!;
    const intType = vector.type.typeId === Type.Int;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id < 0) {
        if (isType) this.issues.add(base + i + 1, name, 'missing event type');
        else cat.nulls++;
        continue;
      }
      if (cat.counts[id] === undefined) {
        cat.counts[id] = 0;
        if (isType && intType && Number(cat.assigner.registry.keys[id]) < 0)
          this.issues.add(base + i + 1, name, 'event type must be a non-negative integer');
      }
      cat.counts[id]++;
    }
  }

  private checkTargets(batch: RecordBatch, sids: Int32Array, base: number): void {
    const ids = this.targetAssigner!.assign(batch);
    const t = this.table;
    const name = (this.roles as { targetColumn: string }).targetColumn;
    for (let i = 0; i < ids.length; i++) {
      const sid = sids[i];
      if (sid < 0) continue;
      const id = ids[i];
      if (t.target[sid] === -2) t.target[sid] = id;
      else if (t.target[sid] !== id) {
        const keys = this.targetAssigner!.registry.keys;
        this.issues.add(
          base + i + 1,
          name,
          `the sequence target must be constant within sequence ${this.registry.keys[sid]}: ${id < 0 ? 'null' : keys[id]} differs from ${t.target[sid] < 0 ? 'null' : keys[t.target[sid]]}`,
        );
      }
    }
  }

  private observePair(sid: number, a: number, b: number, row: number): void {
    if (this.frequency === undefined) {
      this.pending.push({ sid, a, b, row });
      if (this.pending.length >= SAMPLE_PAIRS) this.decideFrequency();
      return;
    }
    if (this.frequency === null) return;
    const k = stepsBetween(a, b, this.frequency);
    if (k === 1) return;
    const key = this.registry.keys[sid];
    if (k !== k) {
      this.gaps.irregular++;
      if (this.options.requireRegular)
        this.issues.add(
          row,
          this.roles.timeColumn,
          `irregular: ${this.show(b)} is not a whole number of ${this.frequency.label} steps after ${this.show(a)} in series ${key}`,
        );
      return;
    }
    this.gaps.count++;
    this.gaps.missing += k - 1;
    if (this.gaps.examples.length < 100)
      this.gaps.examples.push({ key, after: this.show(a), before: this.show(b), missing: k - 1 });
    if (this.options.requireRegular)
      this.issues.add(
        row,
        this.roles.timeColumn,
        `gap: ${k - 1} missing ${this.frequency.label} steps between ${this.show(a)} and ${this.show(b)} in series ${key}`,
      );
  }

  /** Infers the frequency from the pairs seen so far (the series with most pairs), then checks them all. */
  private decideFrequency(): void {
    const bySeries = new Map<number, [number, number][]>();
    for (const p of this.pending) {
      let list = bySeries.get(p.sid);
      if (!list) bySeries.set(p.sid, (list = []));
      list.push([p.a, p.b]);
    }
    let sample: [number, number][] = [];
    for (const list of bySeries.values()) if (list.length > sample.length) sample = list;
    this.frequency = inferFrequencyFromPairs(sample);
    const pending = this.pending;
    this.pending = [];
    if (this.frequency) for (const p of pending) this.observePair(p.sid, p.a, p.b, p.row);
  }

  finish(): ValidationSummary {
    if (this.frequency === undefined) this.decideFrequency();
    if (this.rows === 0) this.issues.add(undefined, undefined, 'empty: the upload holds no rows');
    this.seq2seq?.finish();
    this.issues.throwIfAny();
    const t = this.table;
    const targets = this.targetAssigner?.registry.keys;
    const series: SeriesSummary[] = [];
    for (let sid = 0; sid < this.registry.size; sid++) {
      if (t.rows[sid] === 0) continue; // a prior series this upload did not touch
      const s: SeriesSummary = {
        key: this.registry.keys[sid],
        rows: t.rows[sid],
        first: t.first[sid],
        last: t.last[sid],
      };
      if (targets) s.target = t.target[sid] >= 0 ? targets[t.target[sid]] : null;
      series.push(s);
    }
    const stats: Record<string, ColumnStats> = {};
    for (const [name, acc] of this.numeric) stats[name] = acc.toJSON();
    for (const [name, cat] of this.categories) {
      const acc = new CategoryAccumulator();
      cat.counts.forEach((c, id) => acc.add(cat.assigner.registry.keys[id], c));
      acc.nulls = cat.nulls;
      stats[name] = acc.toJSON();
    }
    const isSeries = this.roles.kind === 'series';
    return {
      rowCount: this.rows,
      series,
      timeStart: this.rows ? this.timeStart : null,
      timeEnd: this.rows ? this.timeEnd : null,
      timeIsTimestamp: this.timeIsTimestamp,
      frequency: isSeries && this.gaps.irregular === 0 ? (this.frequency ?? null) : null,
      gaps: isSeries ? this.gaps : null,
      stats,
    };
  }
}

/**
 * Whether rows [from, to) of one series need no row-by-row look: the first time is finite
 * and after `prev` (the series' last time, NaN for none), and each later one is `step` after
 * the one before it (a known fixed step), or, with `step` NaN, finite and after it (equal
 * allowed unless `strict`). The differences are the ones the row-by-row check computes.
 */
function cleanRun(
  times: Float64Array,
  from: number,
  to: number,
  prev: number,
  step: number,
  strict: boolean,
): boolean {
  const t0 = times[from];
  if (t0 - t0 !== 0) return false;
  if (step === step) {
    if (prev === prev && t0 - prev !== step) return false;
    for (let k = from + 1; k < to; k++) if (times[k] - times[k - 1] !== step) return false;
    return true;
  }
  if (prev === prev && !(t0 > prev || (t0 === prev && !strict))) return false;
  for (let k = from + 1; k < to; k++) {
    const d = times[k] - times[k - 1];
    if (!(d > 0 || (d === 0 && !strict)) || d === Infinity) return false;
  }
  return true;
}

/** A copy of a batch column with the given rows set to null (the `missing` NaN policy). */
function withNulls(vector: Vector, rows: number[]): Data {
  const data = vector.data[0];
  const n = vector.length;
  const bitmap = new Uint8Array(((n + 63) >> 6) << 3);
  const source = data.nullBitmap;
  for (let i = 0; i < n; i++) {
    const j = data.offset + i;
    const ok =
      !source || source.length === 0 || data.nullCount === 0 || (source[j >> 3] & (1 << (j & 7))) !== 0;
    if (ok) bitmap[i >> 3] |= 1 << (i & 7);
  }
  for (const r of rows) bitmap[r >> 3] &= ~(1 << (r & 7));
  return makeData({ type: data.type, length: n, nullBitmap: bitmap, data: data.values } as never) as Data;
}

/** A decimal column as the float64 column it is stored as (nulls kept, `bad` rows nulled too). */
function asFloat64(values: Float64Array, valid: Uint8Array | null, bad: number[] | null): Data {
  const n = values.length;
  let bitmap: Uint8Array | undefined;
  let nulls = 0;
  if (valid || bad) {
    bitmap = new Uint8Array(((n + 63) >> 6) << 3);
    for (let i = 0; i < n; i++) if (!valid || valid[i]) bitmap[i >> 3] |= 1 << (i & 7);
    for (const r of bad ?? []) bitmap[r >> 3] &= ~(1 << (r & 7));
    for (let i = 0; i < n; i++) if ((bitmap[i >> 3] & (1 << (i & 7))) === 0) nulls++;
  }
  return makeData({ type: new Float64(), length: n, nullCount: nulls, nullBitmap: bitmap, data: values });
}

/** The batch with one column's data replaced, under `schema` (which must list the same columns). */
export function rebuildBatch(
  schema: Schema,
  batch: RecordBatch,
  replace: Map<string, Data> = new Map(),
): RecordBatch {
  const children = schema.fields.map((f) => replace.get(f.name) ?? batch.getChild(f.name)!.data[0]);
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length: batch.numRows, nullCount: 0, children }),
  );
}

/**
 * The schema a validated upload is stored with: numeric columns become nullable under the
 * `missing` NaN policy, and decimal columns float64 (every reader of stored data, models
 * included, reads numbers as doubles; the conversion rule is in arrow/column-values.ts).
 */
export function outputSchema(schema: Schema, numericColumns: string[], nan: NanPolicy): Schema {
  const cols = new Set(numericColumns);
  const decimals = schema.fields.some((f) => cols.has(f.name) && isDecimal(f.type));
  if (nan !== 'missing' && !decimals) return schema;
  return new Schema(
    schema.fields.map((f) => {
      if (!cols.has(f.name)) return f;
      const nullable = f.nullable || nan === 'missing';
      if (isDecimal(f.type)) return new Field(f.name, new Float64(), nullable, f.metadata);
      return nullable && !f.nullable ? f.clone({ nullable: true }) : f;
    }),
    schema.metadata,
  );
}
