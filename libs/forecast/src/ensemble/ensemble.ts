import { detachedContext, ErrorDetail, ValidationFailed } from '@seqcast/core';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';
import * as tf from '@tensorflow/tfjs';
import { Forecast } from '../forecast';
import type { Forecaster, ForecasterArtifact, ForecasterCapabilities, UpdateReport } from '../forecaster';
import { checkPredictRequest, requireFitted } from '../input-checks';
import type { ForecasterDefinition, ForecasterRegistry } from '../registry/forecaster-registry';
import type { FitContext, FitReport, Series } from '../types';

export interface EnsembleMember {
  kind: string;
  config?: Record<string, unknown>;
}

const DEFAULT_MEMBERS = JSON.stringify([
  { kind: 'ets' },
  { kind: 'theta' },
  { kind: 'theta', config: { variant: 'optimised' } },
]);

/** Parses the members field (a JSON array of {kind, config}); details name each bad entry. */
function parseMembers(
  raw: string,
  registry: ForecasterRegistry,
): { members: EnsembleMember[]; details: ErrorDetail[] } {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {
      members: [],
      details: [{ field: 'members', reason: 'must be a JSON array of {"kind": ..., "config": {...}}' }],
    };
  }
  if (!Array.isArray(value) || value.length === 0)
    return { members: [], details: [{ field: 'members', reason: 'must be a non-empty JSON array' }] };
  const details: ErrorDetail[] = [];
  const members: EnsembleMember[] = [];
  value.forEach((m: unknown, i) => {
    const entry = m as EnsembleMember;
    if (!entry || typeof entry !== 'object' || typeof entry.kind !== 'string') {
      details.push({ field: `members[${i}]`, reason: 'must be an object with a kind' });
      return;
    }
    if (entry.kind === 'ensemble' || !registry.has(entry.kind)) {
      details.push({
        field: `members[${i}].kind`,
        reason: `'${entry.kind}' is not a model kind an ensemble can hold`,
      });
      return;
    }
    try {
      members.push({ kind: entry.kind, config: registry.validate(entry.kind, entry.config ?? {}) });
    } catch (e) {
      const inner = e instanceof ValidationFailed ? e.details : [];
      for (const d of inner.length ? inner : [{ reason: String(e) }])
        details.push({ field: `members[${i}].${d.field ?? 'config'}`, reason: d.reason });
    }
  });
  return { members, details };
}

function ensembleSchema(registry: ForecasterRegistry) {
  return new ConfigSchema(
    {
      members: {
        type: 'string',
        default: DEFAULT_MEMBERS,
        description:
          'JSON array of the member models, each {"kind": ..., "config": {...}} with any registered kind',
      },
      maxHorizon: {
        type: 'integer',
        default: 10000,
        minimum: 1,
        description: "longest horizon predict accepts (and at most each member's)",
      },
      combination: {
        type: 'string',
        default: 'median',
        enum: ['median', 'mean'],
        description:
          "how the members' forecasts are combined, step by step (quantiles of the same level alike)",
      },
    },
    (c) => parseMembers(c.members, registry).details,
  );
}

type EnsembleSchema = ReturnType<typeof ensembleSchema>;
type EnsembleConfig = ConfigOf<EnsembleSchema['fields']>;

/** The ensemble's rule on one step's member values: their median or their mean. */
export function combineValues(values: number[], rule: 'median' | 'mean' | string): number {
  if (rule === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  const s = [...values].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
}

/**
 * A combination of registered models (the M4 lesson: combinations beat their members):
 * every member is fitted on the same data and forecasts the same context; the forecast is
 * the median or mean of theirs at each step and channel, and each quantile the same
 * combination of the members' quantiles of that level when every member gives it.
 */
export class EnsembleForecaster implements Forecaster {
  readonly kind = 'ensemble';
  readonly members: Forecaster[];
  private readonly rule: string;

  constructor(
    readonly config: EnsembleConfig,
    registry: ForecasterRegistry,
    members?: Forecaster[],
  ) {
    this.rule = config.combination;
    this.members =
      members ?? parseMembers(config.members, registry).members.map((m) => registry.create(m.kind, m.config));
  }

  /**
   * Scale-free when every member is; one member that needs standardised inputs makes the
   * whole ensemble standardised (members read the context the ensemble is given).
   */
  get capabilities(): ForecasterCapabilities {
    return {
      differentiable: false,
      update: 'none',
      scaleFree: this.members.every((m) => m.capabilities.scaleFree === true),
    };
  }

  /** The longest context a member reads (local members fit on shorter ones too). */
  get lookback(): number {
    return Math.max(...this.members.map((m) => m.lookback));
  }
  get maxHorizon(): number {
    return Math.min(this.config.maxHorizon, ...this.members.map((m) => m.maxHorizon));
  }
  get fitted(): boolean {
    return this.members.every((m) => m.fitted);
  }

  async fit(train: Series[], valid: Series[] | undefined, ctx: FitContext): Promise<FitReport> {
    const started = Date.now();
    let windows = 0;
    for (const [i, m] of this.members.entries()) {
      ctx.progress(i / this.members.length, `fitting member ${i} (${m.kind})`);
      windows += (await m.fit(train, valid, ctx)).windows;
    }
    ctx.progress(1, 'fitted ensemble');
    return { windows, seconds: (Date.now() - started) / 1000 };
  }

  private merge(forecasts: Forecast[]): Forecast {
    const first = forecasts[0];
    const point = Array.from({ length: first.channels }, (_, c) =>
      Float32Array.from({ length: first.horizon }, (_, h) =>
        combineValues(
          forecasts.map((f) => f.at(h, c)),
          this.rule,
        ),
      ),
    );
    const quantiles = new Map<number, Float32Array[]>();
    const json = forecasts.map((f) => f.toJSON().quantiles ?? {});
    for (const level of Object.keys(json[0])) {
      if (!json.every((q) => q[level])) continue;
      quantiles.set(
        Number(level),
        Array.from({ length: first.channels }, (_, c) =>
          Float32Array.from({ length: first.horizon }, (_, h) =>
            combineValues(
              json.map((q) => q[level][c][h]),
              this.rule,
            ),
          ),
        ),
      );
    }
    return new Forecast({ point, quantiles });
  }

  predict(context: Series, horizon: number): Forecast {
    requireFitted(this.fitted, this.kind);
    // each member checks the context against its own lookback
    checkPredictRequest(context, horizon, { kind: this.kind, lookback: 1, maxHorizon: this.maxHorizon });
    return this.merge(this.members.map((m) => m.predict(context, horizon)));
  }

  predictBatch(contexts: Series[], horizon: number): Forecast[] {
    requireFitted(this.fitted, this.kind);
    const per = this.members.map((m) => m.predictBatch(contexts, horizon));
    return contexts.map((_, i) => this.merge(per.map((p) => p[i])));
  }

  forward(context: tf.Tensor3D, horizon: number): tf.Tensor3D {
    const outs = this.members.map((m) => m.forward(context, horizon));
    const stacked = tf.stack(outs);
    if (this.rule === 'mean') return tf.mean(stacked, 0) as tf.Tensor3D;
    // median: the middle of the sorted members (mean of the two middle ones when even)
    const k = outs.length;
    const sorted = tf.neg(tf.topk(tf.neg(tf.transpose(stacked, [1, 2, 3, 0])), k).values);
    const mid =
      k % 2 ? tf.gather(sorted, [k >> 1], 3) : tf.mean(tf.gather(sorted, [(k >> 1) - 1, k >> 1], 3), 3, true);
    return tf.squeeze(mid, [3]) as tf.Tensor3D;
  }

  async update(_newObservations: Series[], _ctx: FitContext = detachedContext()): Promise<UpdateReport> {
    throw new ValidationFailed('An ensemble does not update incrementally; refit it', [
      { field: 'model', reason: 'ensemble models cannot update' },
    ]);
  }

  toArtifact(): ForecasterArtifact {
    requireFitted(this.fitted, this.kind);
    const tensors: ForecasterArtifact['tensors'] = {};
    const members = this.members.map((m, i) => {
      const a = m.toArtifact();
      for (const [name, t] of Object.entries(a.tensors)) tensors[`member${i}/${name}`] = t;
      return { kind: a.kind, config: a.config, state: a.state, tensors: Object.keys(a.tensors) };
    });
    return { kind: this.kind, config: { ...this.config }, state: { members }, tensors };
  }

  dispose(): void {
    for (const m of this.members) m.dispose();
  }
}

/** The ensemble kind over a registry (its members are that registry's kinds). */
export function ensembleDefinition(
  registry: ForecasterRegistry,
): ForecasterDefinition<EnsembleSchema['fields']> {
  const schema = ensembleSchema(registry);
  return {
    family: 'series',
    kind: 'ensemble',
    title: 'Ensemble',
    description:
      'Median or mean of the forecasts of any registered models (members configured by kind and config).',
    // lookback and horizon are the members' (a member's config holds them)
    roles: { maxHorizon: 'maxHorizon' },
    capabilities: ['probabilistic'],
    schema,
    create: (c) => new EnsembleForecaster(c, registry),
    fromArtifact: (a) => {
      const config = schema.parse(a.config, 'ensemble', 'artifact.config');
      const stored = (a.state.members ?? []) as Array<{
        kind: string;
        config: Record<string, unknown>;
        state: Record<string, unknown>;
        tensors: string[];
      }>;
      const members = stored.map((m, i) =>
        registry.fromArtifact({
          kind: m.kind,
          config: m.config,
          state: m.state,
          tensors: Object.fromEntries(m.tensors.map((name) => [name, a.tensors[`member${i}/${name}`]])),
        }),
      );
      return new EnsembleForecaster(config, registry, members);
    },
  };
}
