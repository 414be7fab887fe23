/** How many formatted times are kept; the memo starts over when it is full. */
const MAX_REMEMBERED = 8192;
const remembered = new Map<number, string>();

/**
 * `new Date(t).toISOString()`, remembered. Forecasts from the same series' newest values
 * share their step times, so a served forecast formats the same ~100 instants on every
 * request; formatting them was about 5% of a forecast request's CPU under load, a lookup
 * is a fraction of that. Invalid times throw RangeError like toISOString and are not kept.
 */
export function isoTime(t: number): string {
  let text = remembered.get(t);
  if (text === undefined) {
    text = new Date(t).toISOString();
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(t, text);
  }
  return text;
}
