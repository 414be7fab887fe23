/** Waits until `count()` is zero or `ms` have passed; true if it reached zero. */
export async function waitIdle(count: () => number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (count() > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  return count() === 0;
}
