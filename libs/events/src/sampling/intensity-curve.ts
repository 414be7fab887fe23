import { ValidationFailed } from '@seqcast/core';
import { validateHistory } from '../data/dataset-utils';
import { EventHistory, EventModel } from '../types';

/**
 * What a model says about the time to the next event after a history, on a grid of gaps
 * after its last event: the intensity per type and in total, the compensator
 * Lambda(g) = integral of the total intensity over (last, last + g], the survival
 * S(g) = exp(-Lambda(g)) and the density of the next gap f(g) = lambda(g) S(g).
 * IntensityFree models the density itself; its intensity is its density over its survival,
 * so the same quantities follow from it.
 */
export interface IntensityCurve {
  /** Gaps after the last event, from 0 to the horizon. */
  gaps: number[];
  /** lambda_k at each gap: intensity[k][i]. */
  intensity: number[][];
  total: number[];
  compensator: number[];
  survival: number[];
  density: number[];
}

/** Sub-intervals per grid step the compensator is integrated over (trapezoids). */
const REFINE = 4;
/** Points of the coarse grids that look for a horizon when none is given. */
const PROBE_POINTS = 33;
/** The default horizon holds all but this much of the next gap's probability. */
const TAIL = 0.01;
const MAX_RESCALES = 24;

/** lambda_k at `times` after the history's last event, one row per time. */
export function intensityOnGrid(model: EventModel, history: EventHistory, times: number[]): number[][] {
  return model.intensityAt
    ? model.intensityAt(history, times)
    : times.map((t) => model.intensity(history, t));
}

/** Evenly spaced gaps over [0, horizon]. */
function gridGaps(horizon: number, points: number): number[] {
  return Array.from({ length: points }, (_, i) => (horizon * i) / (points - 1));
}

/**
 * The times the gaps fall at; gap 0 read a hair after the last event, so it is the right
 * limit there (the last event's own effect counted, as at every later gap).
 */
function timesOf(last: number, gaps: number[]): number[] {
  const hair = gaps[gaps.length - 1] * 1e-9;
  return gaps.map((g) => last + Math.max(g, hair));
}

function totals(rows: number[][]): number[] {
  return rows.map((r) => r.reduce((a, b) => a + b, 0));
}

/** Cumulative trapezoid integral of y over x, starting at 0. */
function cumulative(x: number[], y: number[]): number[] {
  const out = [0];
  for (let i = 1; i < x.length; i++) out.push(out[i - 1] + ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2);
  return out;
}

/** The compensator over [0, horizon] on a coarse grid. */
function compensatorAt(model: EventModel, history: EventHistory, horizon: number): number {
  const last = history.times[history.times.length - 1];
  const gaps = gridGaps(horizon, PROBE_POINTS);
  const c = cumulative(gaps, totals(intensityOnGrid(model, history, timesOf(last, gaps))));
  return c[c.length - 1];
}

/**
 * A horizon that holds most of the next gap's probability (S between 1e-4 and 0.01 at its
 * end): from the history's mean gap, doubled or halved on a coarse grid.
 */
export function defaultHorizon(model: EventModel, history: EventHistory): number {
  const n = history.times.length;
  const span = history.times[n - 1] - history.times[0];
  let h = n > 1 && span > 0 ? span / (n - 1) : 1;
  const low = -Math.log(TAIL);
  const high = -Math.log(TAIL * TAIL);
  for (let i = 0; i < MAX_RESCALES; i++) {
    const c = compensatorAt(model, history, h);
    if (c < low) h *= 2;
    else if (c > high) h /= 2;
    else break;
  }
  return h;
}

/**
 * The intensity curve after a history on `points` gaps over [0, horizon] (horizon in the
 * model's time unit; default `defaultHorizon`). The compensator is integrated on a grid
 * REFINE times finer than the one returned, so it stays close to the exact integral.
 */
export function intensityCurve(
  model: EventModel,
  history: EventHistory,
  options: { points: number; horizon?: number },
): IntensityCurve {
  validateHistory(history, model.numTypes);
  const { points } = options;
  if (!(Number.isInteger(points) && points >= 2))
    throw new ValidationFailed('points must be an integer of at least 2', [
      { field: 'points', reason: 'an integer >= 2' },
    ]);
  if (options.horizon !== undefined && !(Number.isFinite(options.horizon) && options.horizon > 0))
    throw new ValidationFailed('horizon must be a positive span', [
      { field: 'horizon', reason: 'a positive number' },
    ]);
  const horizon = options.horizon ?? defaultHorizon(model, history);
  const last = history.times[history.times.length - 1];
  const fine = gridGaps(horizon, (points - 1) * REFINE + 1);
  const rows = intensityOnGrid(model, history, timesOf(last, fine));
  const fineTotal = totals(rows);
  const fineCompensator = cumulative(fine, fineTotal);
  const pick = <T>(a: T[]) => a.filter((_, i) => i % REFINE === 0);
  const gaps = pick(fine);
  const total = pick(fineTotal);
  const compensator = pick(fineCompensator);
  const survival = compensator.map((c) => Math.exp(-c));
  return {
    gaps,
    intensity: Array.from({ length: model.numTypes }, (_, k) => pick(rows).map((r) => r[k])),
    total,
    compensator,
    survival,
    density: total.map((l, i) => l * survival[i]),
  };
}
