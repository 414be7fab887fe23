import { Forecast } from '@seqcast/forecast';
import type {
  FitContext,
  FitReport,
  Forecaster,
  ForecasterArtifact,
  ForecasterCapabilities,
  Series,
  UpdateReport,
} from '@seqcast/forecast';

/**
 * A naive forecaster (last value repeated) that records what the backtest gives it:
 * the lengths of the training and validation series, and the context of every prediction.
 */
export class RecordingForecaster implements Forecaster {
  readonly kind = 'recording';
  readonly config = {};
  readonly maxHorizon = 1000;
  fitted = false;
  fits: Array<{ train: number[]; valid: number[] | undefined }> = [];
  batches: number[][][] = []; // batches[call][series] = context values of channel 0
  disposed = 0;

  constructor(
    readonly lookback = 1,
    private readonly onPredict?: () => void,
  ) {}

  async fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport> {
    ctx.progress(0.5, 'half way');
    this.fits.push({ train: train.map((s) => s[0].length), valid: valid?.map((s) => s[0].length) });
    this.fitted = true;
    return { windows: 0, seconds: 0 };
  }

  predict(context: Series, horizon: number): Forecast {
    return new Forecast({ point: context.map((ch) => new Float32Array(horizon).fill(ch[ch.length - 1])) });
  }

  predictBatch(contexts: Series[], horizon: number): Forecast[] {
    this.onPredict?.();
    this.batches.push(contexts.map((c) => Array.from(c[0])));
    return contexts.map((c) => this.predict(c, horizon));
  }

  readonly capabilities: ForecasterCapabilities = { differentiable: false, update: 'none' };

  forward(): never {
    throw new Error('the recording forecaster has no tensor forward');
  }

  async update(): Promise<UpdateReport> {
    throw new Error('the recording forecaster cannot update');
  }

  toArtifact(): ForecasterArtifact {
    return { kind: this.kind, config: {}, state: {}, tensors: {} };
  }

  dispose(): void {
    this.disposed++;
  }
}
