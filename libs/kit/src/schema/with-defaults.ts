import type { ConfigOf, SchemaFields } from './field-spec';

/** The same fields with some defaults changed (a model sharing another's options). */
export function withDefaults<F extends SchemaFields>(fields: F, defaults: Partial<ConfigOf<F>>): F {
  const out: Record<string, unknown> = { ...fields };
  for (const [k, v] of Object.entries(defaults)) {
    if (v === undefined) continue;
    if (!(k in fields)) throw new Error(`withDefaults: no field '${k}'`);
    out[k] = { ...fields[k], default: v };
  }
  return out as F;
}
