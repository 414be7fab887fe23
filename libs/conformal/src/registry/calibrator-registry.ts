import { ErrorDetail, ValidationFailed } from '@seqcast/core';
import { ConfigSchema, JsonSchema, ModelDefinition, ModelRegistry } from '@seqcast/kit';
import { Calibrator, CalibratorState, checkAlphas } from '../calibrator';
import { AciCalibrator, aciSchema } from '../methods/aci';
import { BaseCalibrator, STATE_VERSION } from '../methods/base-calibrator';
import { EnbpiCalibrator, enbpiSchema } from '../methods/enbpi';
import { SpciCalibrator, spciSchema } from '../methods/spci';
import { SplitConformalCalibrator, splitConformalSchema } from '../methods/split-conformal';

type Residuals = 'held-out' | 'bootstrap-loo';

/**
 * A method as the kit's definition of the calibrators family (its kind is the method's
 * name; creating needs the miscoverage levels; its artifact is the JSON state).
 */
export interface CalibratorDefinition extends ModelDefinition<Calibrator, CalibratorState, number[]> {
  /** 'held-out': residuals of a model on data it did not train on; 'bootstrap-loo': bootstrapLooResiduals */
  residuals: Residuals;
}

export interface CalibratorDescription {
  method: string;
  title: string;
  description: string;
  residuals: Residuals;
  capabilities: string[];
  options: JsonSchema;
}

/** Levels and options checked together: one ValidationFailed names `alpha[i]` and `options.<name>`. */
function checkArguments(
  def: CalibratorDefinition,
  alpha: unknown,
  options: unknown,
): { alphas: number[]; opts: Record<string, unknown> } {
  const details: ErrorDetail[] = [];
  const collect = <T>(fn: () => T, fallback: T): T => {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ValidationFailed)) throw e;
      details.push(...e.details);
      return fallback;
    }
  };
  const alphas = collect(() => checkAlphas(alpha), []);
  const opts = collect(() => def.schema.parse(options, def.kind, 'options') as Record<string, unknown>, {});
  if (details.length)
    throw new ValidationFailed(
      `Invalid calibrator '${def.kind}': ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`,
      details,
    );
  return { alphas, opts };
}

/**
 * A definition from a method's class: every calibrator learns online (`update`) and restores
 * from its state. Exported so a plugin registers a method in one line:
 * `calibratorRegistry.register(calibratorMethod({...}))`.
 */
export function calibratorMethod(d: {
  method: string;
  title: string;
  description: string;
  residuals: Residuals;
  schema: ConfigSchema;
  create(alpha: number[], options: Record<string, unknown>): BaseCalibrator<Record<string, number | boolean | string>>;
}): CalibratorDefinition {
  const def: CalibratorDefinition = {
    family: 'calibrators',
    kind: d.method,
    title: d.title,
    description: d.description,
    residuals: d.residuals,
    schema: d.schema,
    roles: {},
    capabilities: ['updatable'],
    create: (options, alpha) => d.create(alpha, options),
    fromArtifact: (s) => {
      const { alphas, opts } = checkArguments(def, s.alpha, s.options);
      return d.create(alphas, opts).restore({ ...s, extra: s.extra ?? {} });
    },
  };
  return def;
}

/** Method name -> definition: the kit's registry for calibrators. HTTP, CLI and jobs create calibrators only through here. */
export class CalibratorRegistry {
  private readonly registry = new ModelRegistry<Calibrator, CalibratorState, number[], CalibratorDefinition>({
    family: 'calibrators',
    noun: 'calibration method',
    kindField: 'method',
    configField: 'options',
    artifactKind: { of: (s) => s.method, field: 'method' },
  });

  register(def: CalibratorDefinition): this {
    this.registry.register(def);
    return this;
  }

  methods(): string[] {
    return this.registry.kinds();
  }

  get(method: string): CalibratorDefinition | undefined {
    return this.registry.has(method) ? this.registry.definition(method) : undefined;
  }

  describe(): CalibratorDescription[] {
    return this.methods().map((m) => {
      const d = this.registry.definition(m);
      return {
        method: d.kind,
        title: d.title,
        description: d.description,
        residuals: d.residuals,
        capabilities: [...d.capabilities],
        options: d.schema.toJsonSchema(),
      };
    });
  }

  /**
   * Validates and builds an unfitted calibrator. Throws ValidationFailed with details
   * naming `method`, `alpha[i]` or `options.<name>`.
   */
  create(method: unknown, alpha: unknown = [0.1], options: unknown = {}): Calibrator {
    const def = this.registry.definition(method);
    const { alphas, opts } = checkArguments(def, alpha, options);
    return def.create(opts, alphas);
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
    return this.registry.fromArtifact(s as CalibratorState);
  }
}

/** The registry with the four built-in methods. */
export const calibratorRegistry = new CalibratorRegistry()
  .register(
    calibratorMethod({
      method: 'split',
      title: 'Split conformal',
      description: 'Split conformal on held-out residuals (symmetric or per-tail)',
      residuals: 'held-out',
      schema: splitConformalSchema,
      create: (alpha, options) => new SplitConformalCalibrator(alpha, options as never),
    }),
  )
  .register(
    calibratorMethod({
      method: 'aci',
      title: 'ACI',
      description: 'Adaptive conformal inference: alpha_t tracks the target coverage online',
      residuals: 'held-out',
      schema: aciSchema,
      create: (alpha, options) => new AciCalibrator(alpha, options as never),
    }),
  )
  .register(
    calibratorMethod({
      method: 'enbpi',
      title: 'EnbPI',
      description: 'EnbPI: empirical quantiles of the latest bootstrap-LOO residuals',
      residuals: 'bootstrap-loo',
      schema: enbpiSchema,
      create: (alpha, options) => new EnbpiCalibrator(alpha, options as never),
    }),
  )
  .register(
    calibratorMethod({
      method: 'spci',
      title: 'SPCI',
      description: 'SPCI: quantile regression forest on past residuals, refitted every step',
      residuals: 'bootstrap-loo',
      schema: spciSchema,
      create: (alpha, options) => new SpciCalibrator(alpha, options as never),
    }),
  );
