/**
 * The window every reported event log-likelihood covers (EasyTPP's convention): each
 * sequence's first event is its start, events 2..L are scored, and the compensator runs over
 * (t_1, t_L]. Jobs, evaluations and the API quote it beside each figure, so a reader can tell
 * it from a convention that scores the first event or integrates up to a window's end.
 */
export const LL_WINDOW = 'events 2..L of each sequence given its first; compensator over (t_1, t_L]';

/**
 * The unit a log-likelihood per event is in: the density of an event time picks up
 * -log(unit) when the unit changes, so the figure means nothing without it. `seconds` for
 * timestamped data, `days` for the catalogue windows, `as given` for plain numbers.
 */
export type TimeUnit = 'seconds' | 'days' | 'as given';
