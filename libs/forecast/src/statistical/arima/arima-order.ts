/** A seasonal ARIMA(p,d,q)(P,D,Q)m order. */
export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  /** Season length m (1: no season; P, D and Q are then 0). */
  m: number;
}

/** Number of ARMA coefficients (p + q + P + Q), ordered ar, ma, sar, sma as R orders them. */
export function armaCount(o: ArimaOrder): number {
  return o.p + o.q + o.P + o.Q;
}

/** The coefficient names R gives (ar1.., ma1.., sar1.., sma1..). */
export function armaNames(o: ArimaOrder): string[] {
  const names = (prefix: string, k: number) => Array.from({ length: k }, (_, i) => `${prefix}${i + 1}`);
  return [...names('ar', o.p), ...names('ma', o.q), ...names('sar', o.P), ...names('sma', o.Q)];
}

/** "ARIMA(2,1,1)(0,1,0)[12]" as the forecast package prints it. */
export function arimaLabel(o: ArimaOrder, constant: 'mean' | 'drift' | null): string {
  const season = o.m > 1 && o.P + o.D + o.Q > 0 ? `(${o.P},${o.D},${o.Q})[${o.m}]` : '';
  const extra = constant === 'drift' ? ' with drift' : constant === 'mean' ? ' with non-zero mean' : '';
  return `ARIMA(${o.p},${o.d},${o.q})${season}${extra}`;
}

/**
 * The differencing polynomial's coefficients: y_t = x_t + sum_i delta_i y_{t-i}, where x is
 * the series differenced d times at lag 1 and D times at lag m (R's `Delta`).
 */
export function differencingDelta(o: ArimaOrder): Float64Array {
  let poly = [1];
  const times = (factor: number[]) => {
    const out = new Array(poly.length + factor.length - 1).fill(0);
    for (let i = 0; i < poly.length; i++)
      for (let j = 0; j < factor.length; j++) out[i + j] += poly[i] * factor[j];
    poly = out;
  };
  for (let i = 0; i < o.d; i++) times([1, -1]);
  const seasonal = [1, ...new Array(Math.max(o.m - 1, 0)).fill(0), -1];
  for (let i = 0; i < o.D; i++) times(seasonal);
  return Float64Array.from(poly.slice(1), (v) => -v);
}

/** The series differenced d times at lag 1 and D times at lag m. */
export function difference(y: ArrayLike<number>, d: number, D: number, m: number): Float64Array {
  let w = Float64Array.from(y);
  for (let i = 0; i < D; i++)
    w = Float64Array.from({ length: Math.max(w.length - m, 0) }, (_, t) => w[t + m] - w[t]);
  for (let i = 0; i < d; i++)
    w = Float64Array.from({ length: Math.max(w.length - 1, 0) }, (_, t) => w[t + 1] - w[t]);
  return w;
}
