/**
 * One option of a model's configuration, in JSON Schema's vocabulary (so the schema is
 * also the OpenAPI description): every option has a default, so a config is always whole.
 */
export type FieldSpec =
  | {
      type: 'integer' | 'number';
      default: number;
      minimum?: number;
      maximum?: number;
      exclusiveMinimum?: number;
      exclusiveMaximum?: number;
      description: string;
    }
  | { type: 'boolean'; default: boolean; description: string }
  | { type: 'string'; default: string; enum?: readonly string[]; description: string }
  | {
      type: 'array';
      items: { type: 'number' };
      default: readonly number[];
      minItems?: number;
      maxItems?: number;
      description: string;
    };

export type SchemaFields = Record<string, FieldSpec>;

/** The plain config object a schema describes (any config, for a schema of unknown fields). */
export type ConfigOf<F extends SchemaFields> = string extends keyof F
  ? Record<string, unknown>
  : {
      [K in keyof F]: F[K] extends { type: 'boolean' }
        ? boolean
        : F[K] extends { type: 'string' }
          ? string
          : F[K] extends { type: 'array' }
            ? number[]
            : number;
    };

/** A JSON Schema (draft 2020-12 subset) object: usable as an OpenAPI schema. */
export interface JsonSchema {
  type: 'object';
  additionalProperties: false;
  properties: Record<string, Record<string, unknown>>;
}
