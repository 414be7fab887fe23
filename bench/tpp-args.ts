/** `--set kind.field=value,...` (repeatable; `*.field` for every model): per-model config overrides of the TPP benches. */
export function parseOverrides(argv = process.argv): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  argv.forEach((a, i) => {
    if (a !== '--set' || !argv[i + 1]) return;
    for (const item of argv[i + 1].split(',')) {
      const m = item.match(/^([\w*]+)\.(\w+)=(.*)$/);
      if (!m) throw new Error(`--set: expected kind.field=value, got "${item}"`);
      const v = m[3];
      (out[m[1]] ??= {})[m[2]] =
        v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
    }
  });
  return out;
}
