import { Cron } from 'croner';
import { ValidationFailed } from '@seqcast/core';

/** Checks a cron expression (5 or 6 fields) and time zone; returns the next fire time. */
export function validateCron(expr: string, timezone = 'UTC'): Date {
  try {
    const probe = new Cron(expr, { timezone, paused: true });
    const next = probe.nextRun();
    probe.stop();
    if (!next) throw new Error('never fires');
    return next;
  } catch (e) {
    throw new ValidationFailed(`invalid cron expression '${expr}'`, [
      { field: 'cron', reason: e instanceof Error ? e.message : String(e) },
    ]);
  }
}
