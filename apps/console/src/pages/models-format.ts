// Plain text for the Models page's tables: version metrics flattened to named numbers.

/** A number to four significant digits (integers as they are). */
export function formatMetric(v: number): string {
  if (Number.isInteger(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
}

/**
 * A version's metrics (`{test: {mse, mae, ...}, validMse, epochs, ...}`) as [name, text] rows:
 * nested objects by dotted name, numbers formatted, short strings and booleans as they are;
 * long notes (sentences) and nulls are left out, the table is for figures.
 */
export function metricRows(
  metrics: Record<string, unknown> | null | undefined,
  prefix = '',
): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(metrics ?? {})) {
    const name = prefix + key;
    if (typeof value === 'number') rows.push([name, formatMetric(value)]);
    else if (typeof value === 'boolean') rows.push([name, String(value)]);
    else if (typeof value === 'string' && value.length <= 40) rows.push([name, value]);
    else if (value && typeof value === 'object' && !Array.isArray(value))
      rows.push(...metricRows(value as Record<string, unknown>, `${name}.`));
  }
  return rows;
}
