/**
 * Writes the interop fixtures with polars (nodejs-polars 0.25.2, whose Rust Arrow writer
 * is independent of apache-arrow JS), the way a user of polars, pyarrow or DuckDB would:
 *
 *   node -r @swc-node/register libs/data/src/testing/polars/make-fixtures.ts
 *
 * Every fixture holds the same data (see `fixture-data.ts`) so the specs can check the
 * ingested statistics against the generating formula; only the Arrow types, the container
 * (IPC file, IPC stream, Parquet) and the codec change.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import pl from 'nodejs-polars';
import { FIXTURES, FixtureSpec, HOURS, KEYS, T0, valueAt } from './fixture-data';

const OUT = path.join(__dirname, 'fixtures');

type Expr = ReturnType<typeof pl.col>;

function baseFrame(spec: FixtureSpec) {
  const key: string[] = [];
  const ts: Date[] = [];
  const value: (number | null)[] = [];
  KEYS.forEach((k, s) => {
    for (let h = 0; h < HOURS; h++) {
      key.push(k);
      ts.push(new Date(T0 + h * (spec.daily ? 86_400_000 : 3_600_000)));
      value.push(spec.nulls && h % 5 === 3 ? null : valueAt(s, h));
    }
  });
  return pl.DataFrame({ key, ts, value });
}

function keyExpr(spec: FixtureSpec): Expr {
  const k = pl.col('key');
  switch (spec.key) {
    case 'string':
      return k;
    case 'categorical':
      return k.cast(pl.Categorical);
    default: {
      // Integer keys: the series' index mapped to small ids that fit every width.
      const ids = KEYS.map((_, s) => [7, 42, 120][s]);
      return pl
        .when(k.eq(pl.lit(KEYS[0])))
        .then(pl.lit(ids[0]))
        .when(k.eq(pl.lit(KEYS[1])))
        .then(pl.lit(ids[1]))
        .otherwise(pl.lit(ids[2]))
        .cast(INT_TYPES[spec.key])
        .alias('key');
    }
  }
}

const INT_TYPES = {
  int8: pl.Int8,
  int16: pl.Int16,
  int32: pl.Int32,
  int64: pl.Int64,
  uint8: pl.UInt8,
  uint16: pl.UInt16,
  uint32: pl.UInt32,
  uint64: pl.UInt64,
} as const;

function timeExpr(spec: FixtureSpec): Expr {
  const t = pl.col('ts');
  if (spec.daily) return t.cast(pl.Date);
  return t.cast(pl.Datetime(spec.unit ?? 'ms', spec.zone ?? undefined));
}

function valueExpr(spec: FixtureSpec): Expr {
  const v = pl.col('value');
  switch (spec.value) {
    case 'float32':
      return v.cast(pl.Float32);
    case 'decimal':
      return v.cast(pl.Decimal(12, 3));
    case 'uint32':
      return v.cast(pl.UInt32);
    default:
      return v;
  }
}

function main(): void {
  fs.mkdirSync(OUT, { recursive: true });
  for (const spec of FIXTURES) {
    const df = baseFrame(spec).select(keyExpr(spec), timeExpr(spec), valueExpr(spec));
    const file = path.join(OUT, spec.file);
    let bytes: Buffer;
    const codec = spec.codec ?? 'uncompressed';
    if (spec.container === 'parquet') bytes = df.writeParquet({ compression: codec });
    else if (codec === 'snappy') throw new Error(`${spec.file}: IPC has no snappy codec`);
    else if (spec.container === 'stream') bytes = df.writeIPCStream({ compression: codec });
    else bytes = df.writeIPC({ compression: codec });
    fs.writeFileSync(file, bytes);
    process.stdout.write(`${spec.file}: ${df.dtypes.map(String).join(', ')} (${bytes.length} bytes)\n`);
  }
}

main();
