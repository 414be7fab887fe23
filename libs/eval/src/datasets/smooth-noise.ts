import type { Rng } from '@seqcast/numeric';

/**
 * Smooth random signal with unit variance: white noise through two first-order low-pass
 * stages with time constant tau (an Ornstein-Uhlenbeck process w1, then w2' = (w1 - w2) / tau).
 * w2 is differentiable, so forces built from it are smooth, as a body's actuation is. In the
 * continuous limit var(w1) = 1, cov(w1, w2) = var(w2) = 1/2; the state starts from that
 * stationary law and the output is sqrt(2) w2, so it has unit variance from the first step.
 * Stepped by Euler-Maruyama with step h (small against tau).
 */
export class SmoothNoise {
  private w1: number;
  private w2: number;
  private readonly a: number;
  private readonly kick: number;

  constructor(
    private readonly rng: Rng,
    tau: number,
    h: number,
  ) {
    this.a = h / tau;
    this.kick = Math.sqrt((2 * h) / tau);
    this.w1 = rng.normal();
    this.w2 = 0.5 * this.w1 + 0.5 * rng.normal();
  }

  /** The current value (unit variance). */
  get value(): number {
    return Math.SQRT2 * this.w2;
  }

  /** Advances one step of h. */
  step(): void {
    const w1 = this.w1;
    this.w1 += -this.a * w1 + this.kick * this.rng.normal();
    this.w2 += this.a * (w1 - this.w2);
  }
}
