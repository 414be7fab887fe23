/**
 * Benjamini-Hochberg adjusted p-values (step-up FDR control): p_(i) m / i, made monotone
 * from the largest down and capped at 1, returned in the input's order. A hypothesis is
 * rejected at level q when its adjusted p is at most q.
 */
export function benjaminiHochberg(p: number[]): number[] {
  const m = p.length;
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let k = m - 1; k >= 0; k--) {
    const [v, i] = order[k];
    running = Math.min(running, (v * m) / (k + 1));
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}
