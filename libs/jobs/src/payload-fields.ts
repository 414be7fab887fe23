import { ValidationFailed } from '@seqcast/core';

/**
 * Runs `work` (an enqueue, or a payload validation) and re-names the fields of a
 * ValidationFailed it throws as a request body carries them: a handler names the payload's
 * own fields (`steps`), which sit under `payload` in POST /jobs and POST /schedules.
 */
export async function inPayloadFields<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (!(e instanceof ValidationFailed)) throw e;
    throw new ValidationFailed(
      e.message,
      e.details.map((d) => ({ ...d, field: d.field === undefined ? 'payload' : `payload.${d.field}` })),
    );
  }
}
