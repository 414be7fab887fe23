import { ValidationFailed } from '@seqcast/core';

/** For specs: the ValidationFailed that `fn` throws (anything else, or nothing, fails the spec). */
export function validationFailure(fn: () => unknown): ValidationFailed {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationFailed) return e;
    throw e;
  }
  throw new Error('expected ValidationFailed');
}
