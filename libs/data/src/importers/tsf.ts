import { RecordBatch } from 'apache-arrow';
import { TURN_ROWS, Turns, ValidationFailed } from '@seqcast/core';
import { Frequency, addSteps, makeFrequency, parseFrequency } from '../time/frequency';
import { parseTimestamp } from '../time/parse-timestamp';
import { IssueCollector } from '../validation/issues';
import { BatchBuilder, ColumnSpec, RawValue } from './batch-builder';
import { BatchSource } from './batch-source';
import { decodeUtf8, lines, splitLazily } from './text';

/** The attribute types of Monash's format. */
const ATTRIBUTE_TYPES = ['string', 'numeric', 'date'];

export interface TsfHeader {
  relation?: string;
  attributes: { name: string; type: string }[];
  frequency: Frequency | null;
  horizon?: number;
  missing: boolean;
  equalLength: boolean;
}

/**
 * Monash forecasting archive `.tsf`: `@` header lines, then one series per line as
 * `attr1:attr2:...:v1,v2,...`. Each series becomes long-format rows (its string
 * attributes as key columns, a `timestamp` built from `start_timestamp` and the
 * `@frequency`, and a `value`); `?` is a missing value.
 */
export async function openTsf(
  source: AsyncIterable<Uint8Array | string>,
  options: { batchSize?: number },
  issues: IssueCollector,
): Promise<BatchSource> {
  const it = lines(decodeUtf8(source))[Symbol.asyncIterator]();
  const header: TsfHeader = { attributes: [], frequency: null, missing: false, equalLength: false };
  let inData = false;
  while (!inData) {
    const r = await it.next();
    if (r.done) break;
    const line = r.value.trim();
    if (!line || line.startsWith('#')) continue;
    if (!line.startsWith('@'))
      throw new ValidationFailed('Not a .tsf file: data before @data', [
        { reason: `unexpected line '${line.slice(0, 40)}' in the header` },
      ]);
    const [tag, ...rest] = line.split(/\s+/);
    const value = rest.join(' ');
    switch (tag.toLowerCase()) {
      case '@relation':
        header.relation = value;
        break;
      case '@attribute': {
        const type = (rest[1] ?? '').toLowerCase();
        // A line left out would shift every series' fields by one: refused, not skipped.
        if (rest.length !== 2 || !ATTRIBUTE_TYPES.includes(type))
          throw new ValidationFailed(`Bad .tsf header line '${line.slice(0, 80)}'`, [
            { field: '@attribute', reason: `expected '@attribute <name> <${ATTRIBUTE_TYPES.join('|')}>'` },
          ]);
        header.attributes.push({ name: rest[0], type });
        break;
      }
      case '@frequency':
        header.frequency = parseFrequency(value);
        if (!header.frequency)
          throw new ValidationFailed(`Unknown .tsf frequency ${value}`, [
            { field: '@frequency', reason: `unknown frequency '${value}'` },
          ]);
        break;
      case '@horizon':
        header.horizon = Number(value);
        break;
      case '@missing':
        header.missing = value === 'true';
        break;
      case '@equallength':
        header.equalLength = value === 'true';
        break;
      case '@data':
        inData = true;
        break;
      default:
        break; // unknown header lines carry no data
    }
  }
  if (!inData) throw new ValidationFailed('Not a .tsf file: no @data line', [{ reason: 'missing @data' }]);
  const startAttr = header.attributes.find((a) => a.type === 'date');
  const keyAttrs = header.attributes.filter((a) => a.type === 'string');
  const numAttrs = header.attributes.filter((a) => a.type === 'numeric');
  const frequency = header.frequency ?? makeFrequency(1, 'D');
  const columns: ColumnSpec[] = [
    ...keyAttrs.map((a) => ({ name: a.name, kind: 'string' as const })),
    ...numAttrs.map((a) => ({ name: a.name, kind: 'number' as const })),
    { name: 'timestamp', kind: 'timestamp' },
    { name: 'value', kind: 'number' },
  ];
  const builder = new BatchBuilder(columns, issues, options.batchSize);
  const nAttrs = header.attributes.length;
  const turns = new Turns(TURN_ROWS);
  async function* batches(): AsyncGenerator<RecordBatch> {
    let line = 0;
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      line++;
      const text = r.value.trim();
      if (!text || text.startsWith('#')) continue;
      const parts = text.split(':');
      if (parts.length < nAttrs + 1) {
        issues.add(
          builder.length + 1,
          undefined,
          `series line ${line}: expected ${nAttrs} attributes and values separated by ':'`,
        );
        continue;
      }
      // Values come last; a date attribute such as `1975-12-01 00-00-00` holds no ':' in Monash's layout.
      const attrs = parts.slice(0, nAttrs);
      const byName = new Map(header.attributes.map((a, i) => [a.name, attrs[i]]));
      // Without a start date the series are placed on the frequency's grid from 1970-01-01.
      const start = startAttr ? parseTimestamp(byName.get(startAttr.name)!) : 0;
      if (start !== start)
        issues.add(
          undefined,
          startAttr!.name,
          `series line ${line}: unparseable start timestamp '${byName.get(startAttr!.name)}'`,
        );
      const fixed: RawValue[] = [
        ...keyAttrs.map((a) => byName.get(a.name)),
        ...numAttrs.map((a) => byName.get(a.name)),
      ];
      let i = 0;
      for (const value of splitLazily(parts.slice(nAttrs).join(':'), ',')) {
        const v = value.trim();
        const b = builder.push([...fixed, addSteps(start, i++, frequency), v === '?' ? null : v]);
        if (b) yield b;
        else if (turns.due()) await turns.turn();
      }
    }
    const last = builder.flush();
    if (last) yield last;
  }
  return {
    schema: builder.schema,
    batches: batches(),
    kind: 'series',
    roles: {
      keyColumns: keyAttrs.map((a) => a.name),
      timeColumn: 'timestamp',
      valueColumns: ['value'],
      knownCovariates: numAttrs.map((a) => a.name),
      pastCovariates: [],
    },
  };
}
