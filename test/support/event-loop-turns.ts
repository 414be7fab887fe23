/**
 * Counts the event loop's check phases while `work` runs: each turn the work gives lets one
 * through, so a count of 0 means it held the loop from start to end. Counted, not timed.
 */
export async function turnsDuring<T>(work: () => Promise<T>): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    ticks++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { value: await work(), ticks };
  } finally {
    running = false;
  }
}
