import { JobEvents, JobRunEvent } from './job-events';

describe('JobEvents', () => {
  it('hands every run to each listener, a throwing one included, until it unsubscribes', () => {
    const events = new JobEvents();
    const seen: JobRunEvent[] = [];
    events.subscribe(() => {
      throw new Error('a broken observer');
    });
    const stop = events.subscribe((e) => seen.push(e));
    const run: JobRunEvent = { type: 'diagnostic.sleep', outcome: 'succeeded', seconds: 0.5 };
    expect(() => events.emit(run)).not.toThrow();
    stop();
    events.emit({ ...run, outcome: 'failed' });
    expect(seen).toEqual([run]);
  });
});
