/**
 * Seeded pseudo-random numbers (mulberry32): shuffles, initialisation, bootstrap draws and
 * simulations must give the same result twice for one seed, which Math.random cannot.
 * Quality is ample for those uses, and a seed reproduces a run bit for bit (SPCI's forests
 * are re-grown from a seed when a calibrator is loaded).
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /**
   * The generator's whole state (one 32-bit word): a training checkpoint saves it so that
   * the resumed run draws the numbers the uninterrupted one would have drawn.
   */
  get state32(): number {
    return this.state;
  }

  /** Puts back a state read from `state32`. */
  restore(state32: number): this {
    this.state = state32 >>> 0;
    return this;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box-Muller on u = 1 - next(), which is never 0): the stream of the model zoos. */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Standard normal (Box-Muller on u = next(), drawn again while it is 0): the conformal
   * lib's stream, kept so that its seeded simulations and tests reproduce.
   */
  normalRedrawingZero(): number {
    let u = this.next();
    while (u <= 1e-300) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Fisher-Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }

  /** A seed for a child generator (e.g. a tfjs op's `seed` argument). */
  fork(): number {
    return Math.floor(this.next() * 2 ** 31);
  }
}

/** Mixes integers into one 32-bit seed (murmur3 finaliser), so derived streams don't overlap. */
export function deriveSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    let k = Math.imul((p | 0) ^ Math.floor(p / 4294967296), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Bootstrap counts: `draws` draws with replacement from `n` rows; counts[i] = times row i was drawn. */
export function bootstrapCounts(n: number, rng: Rng, draws = n): Float64Array {
  const counts = new Float64Array(n);
  for (let k = 0; k < draws; k++) counts[rng.int(n)]++;
  return counts;
}
