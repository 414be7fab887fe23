import { Unprocessable, ValidationFailed } from '@seqcast/core';
import type { ScaledForecaster } from '@seqcast/forecast';
import { axisUnit, nominalGapOf, onAxis, parseStamps, timeAxis, TimingView } from '../time-axis';

/** Where unconditional sample paths are drawn: each step's time on the model's axis, and dt 1. */
export interface SampleGrid {
  /** The times on the axis the model was trained on (time-axis.ts), one per step. */
  times: Float64Array;
  nominalGap: number;
  /** The stamps as UTC ISO 8601, echoed in the answer. */
  stamps: string[];
  timing: TimingView;
}

/**
 * The grid of `POST /models/:id/samples {times}`: one ISO 8601 stamp per step (`length` of
 * them), strictly increasing, put on the axis of the model's training data as a forecast's
 * `contextTimes` are (steps of its frequency, a stamp off a monthly, quarterly or yearly grid
 * a 422 naming `times[i]`; ms without one). Step t's dt is its gap over the nominal gap (the
 * timed fit's; after a regular fit one frequency step, or the stamps' median gap), the first
 * step's 1: a grid one nominal gap apart draws the paths the route draws without `times`.
 */
export function sampleGrid(
  f: ScaledForecaster,
  trainedFrequency: string | null,
  raw: readonly unknown[],
  length: number,
): SampleGrid {
  const model = f.timed;
  if (!model)
    throw new Unprocessable(`${f.kind} draws its paths as equally spaced steps, not at times`, [
      { field: 'times', reason: `${f.kind} has no 'timed' capability` },
    ]);
  if (raw.length !== length)
    throw new ValidationFailed(`times has ${raw.length} stamps for paths of ${length} steps`, [
      { field: 'times', reason: `one time per step (${length})` },
    ]);
  const ms = parseStamps(raw, 'times');
  const axis = timeAxis(trainedFrequency);
  const times = onAxis(axis, ms, 'times');
  const gap = model.nominalGap ?? nominalGapOf(axis, [times]);
  const unit = axisUnit(axis);
  return {
    times,
    nominalGap: gap,
    stamps: Array.from(ms, (t) => new Date(t).toISOString()),
    timing: {
      dt: true,
      unit,
      nominalGap: gap,
      note: `each step's dt is its gap over ${gap} ${unit} (the first step's 1)`,
    },
  };
}
