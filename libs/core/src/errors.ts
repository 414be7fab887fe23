/**
 * Typed errors shared by every lib. Each carries the HTTP status it maps to and
 * details that name the row, column or field at fault, so the API's one error
 * shape `{ error, message, details[] }` can be produced without knowing the lib.
 */
export interface ErrorDetail {
  /** Request field or configuration variable, e.g. `horizon` or `DATABASE_URL`. */
  field?: string;
  /** 1-based data row (not counting a header), where the error is about data. */
  row?: number;
  column?: string;
  reason: string;
}

export class SeqcastError extends Error {
  constructor(
    /** Stable machine-readable code, e.g. `validation_failed`. */
    public readonly code: string,
    message: string,
    public readonly status: number,
    public readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailed extends SeqcastError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('validation_failed', message, 400, details);
  }
}

export class NotFound extends SeqcastError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('not_found', message, 404, details);
  }
}

export class Conflict extends SeqcastError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('conflict', message, 409, details);
  }
}

export class PayloadTooLarge extends SeqcastError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('payload_too_large', message, 413, details);
  }
}

export class UnsupportedMediaType extends SeqcastError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('unsupported_media_type', message, 415, details);
  }
}

/** The request is well-formed but does not fit the model or data (horizon too long, context too short). */
export class Unprocessable extends SeqcastError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('unprocessable', message, 422, details);
  }
}

/** A job or long computation was cancelled through its AbortSignal. */
export class Cancelled extends SeqcastError {
  constructor(message = 'cancelled') {
    super('cancelled', message, 409);
  }
}

/** The configuration (environment variables) is invalid; boot stops. */
export class ConfigError extends SeqcastError {
  constructor(details: ErrorDetail[]) {
    super(
      'invalid_configuration',
      `Invalid configuration: ${details.map((d) => `${d.field}: ${d.reason}`).join('; ')}`,
      500,
      details,
    );
  }
}
