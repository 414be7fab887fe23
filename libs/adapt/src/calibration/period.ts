/** The period used when a window shows no peak (the reference's fallback). */
export const FALLBACK_PERIOD = 24;

/**
 * TAFAS's periodicity estimate (PAAS) of one window, per channel values [V][L]: the real DFT
 * of each de-meaned channel; the channel of largest mean power; its strongest bin f; period
 * = floor(L / f). The reference falls back to 24 when f is 0 (its division fails): that is a
 * flat window, whose de-meaned DFT is all zero. A plain O(L^2) DFT: L is a few hundred at
 * most and this runs once per chunk.
 */
export function dominantPeriod(window: ReadonlyArray<ArrayLike<number>>): number {
  const L = window[0]?.length ?? 0;
  if (L < 2) return FALLBACK_PERIOD;
  const F = Math.floor(L / 2) + 1;
  let bestPower = -1;
  let bestAmp: Float64Array | null = null;
  for (const ch of window) {
    let mean = 0;
    for (let i = 0; i < L; i++) mean += ch[i];
    mean /= L;
    const amp = new Float64Array(F);
    let power = 0;
    for (let f = 0; f < F; f++) {
      let re = 0;
      let im = 0;
      for (let n = 0; n < L; n++) {
        const ang = (2 * Math.PI * ((n * f) % L)) / L;
        const x = ch[n] - mean;
        re += x * Math.cos(ang);
        im -= x * Math.sin(ang);
      }
      amp[f] = Math.hypot(re, im);
      power += amp[f] * amp[f];
    }
    power /= F;
    if (power > bestPower) {
      bestPower = power;
      bestAmp = amp;
    }
  }
  // a flat window: every bin is rounding noise
  if (!bestAmp || bestPower <= 1e-20) return FALLBACK_PERIOD;
  let f = 0;
  for (let k = 1; k < F; k++) if (bestAmp[k] > bestAmp[f]) f = k;
  return f === 0 ? FALLBACK_PERIOD : Math.floor(L / f);
}
