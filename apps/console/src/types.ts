// The shapes of the API answers the console reads (a subset of the OpenAPI document at /docs/json).

export interface Page<T> {
  items: T[];
  total: number;
}

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  type: string;
  status: JobStatus;
  progress: { fraction: number; message: string | null };
  payload: Record<string, unknown>;
  result: unknown;
  error: string | null;
  attempts: number;
  maxAttempts: number;
  cancelRequested: boolean;
  scheduleId: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export const FINISHED: JobStatus[] = ['succeeded', 'failed', 'cancelled'];

/** A JSON Schema as the API's kinds describe their configs. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  const?: unknown;
  title?: string;
}

export interface ModelKind {
  family: string;
  kind: string;
  title: string;
  description: string;
  capabilities?: string[];
  configSchema: JsonSchema;
}
