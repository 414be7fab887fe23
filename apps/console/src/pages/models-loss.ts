import { MODEL_PALETTE } from '../../../../libs/eval/src/report/palette';
import type { ChartLine } from '../components/time-chart';
import type { EpochPoint } from './models-types';

export interface LossChartData {
  x: number[];
  lines: ChartLine[];
  xLabel: string;
}

/**
 * A training job's curve (GET /jobs/:id progress.curve) as the loss chart's data: training loss
 * and, when the training validates, the validation loss, by epoch. A job that trains more than
 * once (its epochs start again at 1) is drawn point after point instead, so no line runs back.
 */
export function lossChartData(curve: EpochPoint[]): LossChartData {
  const increasing = curve.every((p, i) => i === 0 || p.epoch > curve[i - 1].epoch);
  const x = increasing ? curve.map((p) => p.epoch) : curve.map((_, i) => i + 1);
  const lines: ChartLine[] = [
    { label: 'training loss', y: curve.map((p) => p.loss), color: MODEL_PALETTE[0], width: 2 },
  ];
  if (curve.some((p) => p.valLoss !== undefined))
    lines.push({
      label: 'validation loss',
      y: curve.map((p) => p.valLoss ?? null),
      color: MODEL_PALETTE[1],
      dash: [6, 4],
      width: 2,
    });
  return { x, lines, xLabel: increasing ? 'epoch' : 'epoch, in the order trained' };
}
