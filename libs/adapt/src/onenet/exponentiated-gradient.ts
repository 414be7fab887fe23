/**
 * The reference's floor, added to every weight after normalising: a branch that lost for a
 * long time keeps a weight it can climb back from (exp(-eta * loss) over thousands of steps
 * would otherwise reach 0 in float64 and stay there).
 */
export const EG_FLOOR = 1e-10;

/**
 * One exponentiated-gradient step of OneNet's combination (per variable):
 * w_i <- w_i exp(-eta l_i) / sum_j w_j exp(-eta l_j), then + EG_FLOOR as the reference does.
 * The exponent is shifted by the smallest loss, which changes no ratio but keeps large
 * losses from underflowing every term to 0.
 */
export function exponentiatedGradient(
  weights: readonly number[],
  losses: readonly number[],
  eta: number,
): number[] {
  const least = Math.min(...losses);
  const scaled = weights.map((w, i) => w * Math.exp(-eta * (losses[i] - least)));
  const z = scaled.reduce((a, b) => a + b, 0);
  return scaled.map((s) => s / z + EG_FLOOR);
}

/** Per-variable weights of the two branches, updated by exponentiated gradient on each branch's MSE. */
export class EgCombination {
  /** [v] = [time weight, variable weight] */
  private weights: number[][];

  constructor(
    readonly channels: number,
    private readonly eta: number,
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
    this.weights = this.weights.map((w, v) => exponentiatedGradient(w, losses[v], this.eta));
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
