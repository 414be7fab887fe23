import { ValidationFailed } from '@seqcast/core';
import { Calibrator, CalibratorState, checkAlphas } from '../calibrator';
import { AciCalibrator, aciSchema } from '../methods/aci';
import { BaseCalibrator, STATE_VERSION } from '../methods/base-calibrator';
import { EnbpiCalibrator, enbpiSchema } from '../methods/enbpi';
import { SpciCalibrator, spciSchema } from '../methods/spci';
import { SplitConformalCalibrator, splitConformalSchema } from '../methods/split-conformal';
import { OptionFields, OptionsSchema } from './options-schema';

/** A method: its name, what it needs, its options schema and how to build one. */
export interface CalibratorDefinition {
  method: string;
  description: string;
  /** 'held-out': residuals of a model on data it did not train on; 'bootstrap-loo': bootstrapLooResiduals */
  residuals: 'held-out' | 'bootstrap-loo';
  schema: OptionsSchema<OptionFields>;
  create(alpha: number[], options: Record<string, unknown>): BaseCalibrator<Record<string, number | boolean>>;
}

export interface CalibratorDescription {
  method: string;
  description: string;
  residuals: 'held-out' | 'bootstrap-loo';
  options: ReturnType<OptionsSchema<OptionFields>['toJsonSchema']>;
}

/** Method name -> definition. HTTP, CLI and jobs create calibrators only through here. */
export class CalibratorRegistry {
  private readonly defs = new Map<string, CalibratorDefinition>();

  register(def: CalibratorDefinition): this {
    this.defs.set(def.method, def);
    return this;
  }

  methods(): string[] {
    return [...this.defs.keys()];
  }

  get(method: string): CalibratorDefinition | undefined {
    return this.defs.get(method);
  }

  describe(): CalibratorDescription[] {
    return [...this.defs.values()].map((d) => ({
      method: d.method,
      description: d.description,
      residuals: d.residuals,
      options: d.schema.toJsonSchema(),
    }));
  }

  /**
   * Validates and builds an unfitted calibrator. Throws ValidationFailed with details
   * naming `method`, `alpha[i]` or `options.<name>`.
   */
  create(method: unknown, alpha: unknown = [0.1], options: unknown = {}): Calibrator {
    const def = typeof method === 'string' ? this.defs.get(method) : undefined;
    if (!def) {
      throw new ValidationFailed(
        `Unknown calibration method ${JSON.stringify(method)} (known: ${this.methods().join(', ')})`,
        [{ field: 'method', reason: `must be one of ${this.methods().join(', ')}` }],
      );
    }
    const details = [];
    let alphas: number[] = [];
    let opts: Record<string, unknown> = {};
    try {
      alphas = checkAlphas(alpha);
    } catch (e) {
      if (e instanceof ValidationFailed) details.push(...e.details);
      else throw e;
    }
    try {
      opts = def.schema.parse(options, def.method);
    } catch (e) {
      if (e instanceof ValidationFailed) details.push(...e.details);
      else throw e;
    }
    if (details.length)
      throw new ValidationFailed(
        `Invalid calibrator '${def.method}': ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`,
        details,
      );
    return def.create(alphas, opts);
  }

  /** Rebuilds a calibrator from `toState()` output (after JSON round trips): same intervals, same future updates. */
  restore(state: unknown): Calibrator {
    const s = state as Partial<CalibratorState> | null;
    if (!s || typeof s !== 'object')
      throw new ValidationFailed('Calibrator state must be an object', [
        { field: 'state', reason: 'must be an object' },
      ]);
    if (s.version !== STATE_VERSION)
      throw new ValidationFailed(`Unsupported calibrator state version ${String(s.version)}`, [
        { field: 'state.version', reason: `must be ${STATE_VERSION}` },
      ]);
    if (
      !Array.isArray(s.steps) ||
      !s.steps.every((st) => st && Array.isArray(st.residuals) && Number.isInteger(st.count))
    ) {
      throw new ValidationFailed('Calibrator state has no valid residual steps', [
        { field: 'state.steps', reason: 'must be [{ residuals: number[], count: integer }]' },
      ]);
    }
    const calibrator = this.create(s.method, s.alpha, s.options) as BaseCalibrator<
      Record<string, number | boolean>
    >;
    return calibrator.restore({ ...(s as CalibratorState), extra: s.extra ?? {} });
  }
}

/** The registry with the four built-in methods. */
export const calibratorRegistry = new CalibratorRegistry()
  .register({
    method: 'split',
    description: 'Split conformal on held-out residuals (symmetric or per-tail)',
    residuals: 'held-out',
    schema: splitConformalSchema as unknown as OptionsSchema<OptionFields>,
    create: (alpha, options) => new SplitConformalCalibrator(alpha, options as never),
  })
  .register({
    method: 'aci',
    description: 'Adaptive conformal inference: alpha_t tracks the target coverage online',
    residuals: 'held-out',
    schema: aciSchema as unknown as OptionsSchema<OptionFields>,
    create: (alpha, options) => new AciCalibrator(alpha, options as never),
  })
  .register({
    method: 'enbpi',
    description: 'EnbPI: empirical quantiles of the latest bootstrap-LOO residuals',
    residuals: 'bootstrap-loo',
    schema: enbpiSchema as unknown as OptionsSchema<OptionFields>,
    create: (alpha, options) => new EnbpiCalibrator(alpha, options as never),
  })
  .register({
    method: 'spci',
    description: 'SPCI: quantile regression forest on past residuals, refitted every step',
    residuals: 'bootstrap-loo',
    schema: spciSchema as unknown as OptionsSchema<OptionFields>,
    create: (alpha, options) => new SpciCalibrator(alpha, options as never),
  });
