/**
 * Learning-rate schedules. `lrAt(step)` is a pure function of the global step (0-based)
 * for the step-driven schedules; reduce-on-plateau also listens to the validation
 * metric at each epoch end.
 */
export type ScheduleSpec =
  | { kind: 'constant' }
  /** Linear warm-up from 0 to the base rate, then half a cosine down to minLr. */
  | { kind: 'cosine'; warmupSteps?: number; minLr?: number }
  /** Smith's one-cycle: cosine up from base/div to base over pctStart, then down to base/(div*finalDiv). */
  | { kind: 'one-cycle'; pctStart?: number; divFactor?: number; finalDivFactor?: number }
  /** Multiply the rate by `factor` when the metric has not improved for `patience` epochs. */
  | {
      kind: 'plateau';
      factor?: number;
      patience?: number;
      minLr?: number;
      threshold?: number;
      mode?: 'min' | 'max';
    };

export interface LrSchedule {
  lrAt(step: number): number;
  /** Called once per epoch with the validation metric (or training loss without one). */
  onEpochEnd?(metric: number): void;
  /** What a schedule that listens to the metric has learnt so far (a training checkpoint keeps it). */
  saveState?(): number[];
  restoreState?(state: number[]): void;
}

export function createSchedule(spec: ScheduleSpec, baseLr: number, totalSteps: number): LrSchedule {
  switch (spec.kind) {
    case 'constant':
      return { lrAt: () => baseLr };
    case 'cosine': {
      const warm = Math.max(0, spec.warmupSteps ?? 0);
      const minLr = spec.minLr ?? 0;
      return {
        lrAt(step) {
          if (step < warm) return (baseLr * (step + 1)) / warm;
          const span = Math.max(1, totalSteps - warm);
          const p = Math.min(1, (step - warm) / span);
          return minLr + 0.5 * (baseLr - minLr) * (1 + Math.cos(Math.PI * p));
        },
      };
    }
    case 'one-cycle': {
      const pct = spec.pctStart ?? 0.3;
      const start = baseLr / (spec.divFactor ?? 25);
      const end = start / (spec.finalDivFactor ?? 1e4);
      const up = Math.max(1, Math.round(pct * totalSteps));
      const down = Math.max(1, totalSteps - up);
      const cosine = (from: number, to: number, p: number) =>
        to + 0.5 * (from - to) * (1 + Math.cos(Math.PI * Math.min(1, p)));
      return {
        lrAt(step) {
          return step < up ? cosine(start, baseLr, step / up) : cosine(baseLr, end, (step - up) / down);
        },
      };
    }
    case 'plateau': {
      const factor = spec.factor ?? 0.1;
      const patience = spec.patience ?? 10;
      const minLr = spec.minLr ?? 0;
      const threshold = spec.threshold ?? 1e-4;
      const sign = spec.mode === 'max' ? -1 : 1;
      let lr = baseLr;
      let best = Infinity;
      let bad = 0;
      return {
        lrAt: () => lr,
        onEpochEnd(metric) {
          const m = sign * metric;
          // relative threshold, as torch's ReduceLROnPlateau default
          if (m < best - Math.abs(best) * threshold || best === Infinity) {
            best = m;
            bad = 0;
          } else if (++bad > patience) {
            lr = Math.max(minLr, lr * factor);
            bad = 0;
          }
        },
        // best is Infinity until the first epoch: JSON has no Infinity, so it goes as null
        saveState: () => [lr, Number.isFinite(best) ? best : NaN, bad],
        restoreState([savedLr, savedBest, savedBad]) {
          lr = savedLr;
          best = Number.isFinite(savedBest) ? savedBest : Infinity;
          bad = savedBad;
        },
      };
    }
  }
}
