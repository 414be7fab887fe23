/**
 * The reference's floor, added to every weight after normalising: a branch that lost for a
 * long time keeps a weight it can climb back from (exp(-eta * loss) over thousands of steps
 * would otherwise reach 0 in float64 and stay there).
 */
export const EG_FLOOR = 1e-10;

/**
 * One exponentiated-gradient step of OneNet's combination (per variable):
 * w_i <- w_i exp(-eta l_i) / sum_j w_j exp(-eta l_j), then + EG_FLOOR as the reference does.
 * With `share` > 0, Herbster & Warmuth's fixed share (1998) mixes that share of the mass
 * back uniformly after each step, w_i <- (1 - share) w_i + share / k: exponential weights
 * on cumulative losses follow the branch that was best over the whole stream, fixed share
 * the one that is best lately (its regret is against the best sequence of switches), so
 * a leader that changes during the stream is followed. share = 0 is the paper's rule.
 * The exponent is shifted by the smallest loss, which changes no ratio but keeps large
 * losses from underflowing every term to 0.
 */
export function exponentiatedGradient(
  weights: readonly number[],
  losses: readonly number[],
  eta: number,
  share = 0,
): number[] {
  const least = Math.min(...losses);
  const scaled = weights.map((w, i) => w * Math.exp(-eta * (losses[i] - least)));
  const z = scaled.reduce((a, b) => a + b, 0);
  const k = weights.length;
  return scaled.map((s) => (1 - share) * (s / z) + share / k + EG_FLOOR);
}

/** Per-variable weights of the two branches, updated by exponentiated gradient on each branch's MSE. */
export class EgCombination {
  /** [v] = [time weight, variable weight] */
  private weights: number[][];

  constructor(
    readonly channels: number,
    private readonly eta: number,
    private readonly share = 0,
  ) {
    this.weights = Array.from({ length: channels }, () => [0.5, 0.5]);
  }

  get parameterCount(): number {
    return 2 * this.channels;
  }

  /** The time branch's share per variable (the variable branch has the rest). */
  timeWeights(): Float64Array {
    return Float64Array.from(this.weights, ([t, v]) => t / (t + v));
  }

  /** losses[v] = [time branch MSE, variable branch MSE] of variable v on the window just matured. */
  update(losses: ReadonlyArray<readonly number[]>): void {
    this.weights = this.weights.map((w, v) => exponentiatedGradient(w, losses[v], this.eta, this.share));
  }

  toJSON(): number[][] {
    return this.weights.map((w) => [...w]);
  }

  load(json: unknown): void {
    const ok =
      Array.isArray(json) &&
      json.length === this.channels &&
      json.every((w) => Array.isArray(w) && w.length === 2 && w.every((x) => Number.isFinite(x) && x > 0));
    if (!ok) throw new Error(`snapshot.extra.eg: expected ${this.channels} pairs of positive weights`);
    this.weights = (json as number[][]).map((w) => [...w]);
  }
}
