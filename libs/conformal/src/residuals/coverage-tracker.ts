/** Truths remembered per step and level for rolling coverage: a window of forecast origins. */
export const COVERAGE_WINDOW = 100;

/**
 * Rolling coverage of each horizon step and level over the latest COVERAGE_WINDOW truths of
 * that step. A step's truths come one per forecast origin, so the window is one of origins,
 * never of the steps of one forecast (whose misses are strongly correlated). Kept as strings
 * of '0' / '1' (oldest first) so the saved state stays small.
 */
export class CoverageTracker {
  constructor(
    private hits: Array<Record<string, string>> = [],
    readonly window = COVERAGE_WINDOW,
  ) {}

  record(step: number, levels: ReadonlyArray<readonly [string, boolean]>): void {
    const row = (this.hits[step] ??= {});
    for (const [level, covered] of levels) {
      const s = (row[level] ?? '') + (covered ? '1' : '0');
      row[level] = s.length > this.window ? s.slice(s.length - this.window) : s;
    }
  }

  /** Truths in the window and the fraction covered (null before any truth). */
  of(step: number, level: string): { truths: number; coverage: number | null } {
    const s = this.hits[step]?.[level] ?? '';
    let covered = 0;
    for (const ch of s) if (ch === '1') covered++;
    return { truths: s.length, coverage: s.length ? covered / s.length : null };
  }

  toJSON(): Array<Record<string, string>> {
    return this.hits.map((r) => ({ ...(r ?? {}) }));
  }

  static fromJSON(saved: unknown): CoverageTracker {
    if (!Array.isArray(saved)) return new CoverageTracker();
    return new CoverageTracker(
      saved.map((r) =>
        r && typeof r === 'object'
          ? Object.fromEntries(
              Object.entries(r as Record<string, unknown>).filter(
                (e): e is [string, string] => typeof e[1] === 'string' && /^[01]*$/.test(e[1]),
              ),
            )
          : {},
      ),
    );
  }
}
