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

/** How many upcoming fires are compared to find the shortest gap between two. */
const GAP_SAMPLE = 100;

/**
 * Refuses a cron whose consecutive fires come closer than `minIntervalS` seconds. Every
 * fire enqueues a job, so an every-second cron floods the queue faster than any job ends.
 * The gaps of the next fires are compared, so irregular lists (`0,1 * * * * *`) are caught
 * as well as steps.
 */
export function checkCronInterval(expr: string, timezone: string, minIntervalS: number): void {
  const probe = new Cron(expr, { timezone, paused: true });
  const runs = probe.nextRuns(GAP_SAMPLE);
  probe.stop();
  let shortest = Infinity;
  for (let i = 1; i < runs.length; i++) shortest = Math.min(shortest, runs[i].getTime() - runs[i - 1].getTime());
  if (shortest < minIntervalS * 1000) {
    const gap = shortest / 1000;
    throw new ValidationFailed(`cron '${expr}' fires every ${gap} s; schedules may fire at most every ${minIntervalS} s`, [
      { field: 'cron', reason: `fires ${gap} s apart, under SCHEDULE_MIN_INTERVAL_S (${minIntervalS} s)` },
    ]);
  }
}
