/**
 * What a chart shows, in words: "series A, channel OT", "series A", "channel OT", or '' when
 * there is nothing to name. A dataset without a key column has one series whose key is '', so
 * the key is left out rather than printed empty ("etth1 / OT:", "series ()").
 * `quote` formats each name (e.g. as Markdown code); plain text by default.
 */
export function seriesLabel(
  of: { key?: string; channel?: string | number },
  quote: (name: string) => string = (name) => name,
): string {
  const parts: string[] = [];
  if (of.key) parts.push(`series ${quote(of.key)}`);
  if (typeof of.channel === 'number') parts.push(`channel ${of.channel}`);
  else if (of.channel) parts.push(`channel ${quote(of.channel)}`);
  return parts.join(', ');
}

/** A chart title with its label after a colon, or the title alone when there is no label. */
export function titled(title: string, label: string): string {
  return label ? `${title}: ${label}` : title;
}

/** The settings table's series cell: the count, then up to `shown` keys ('unnamed' for ''). */
export function seriesList(keys: string[], shown = 10): string {
  if (!keys.some((k) => k)) return String(keys.length);
  const names = keys.slice(0, shown).map((k) => k || 'unnamed');
  return `${keys.length} (${names.join(', ')}${keys.length > shown ? ', …' : ''})`;
}
