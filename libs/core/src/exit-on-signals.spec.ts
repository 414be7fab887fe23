import { exitOnShutdownSignals } from './exit-on-signals';

describe('exitOnShutdownSignals', () => {
  const quiet = () => undefined;

  it('closes, then exits 0', async () => {
    const codes: number[] = [];
    let closed = 0;
    const off = exitOnShutdownSignals(
      { close: async () => void closed++ },
      { graceMs: 1000, signals: ['SIGUSR2'], exit: (c) => codes.push(c), log: quiet },
    );
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await new Promise((r) => setImmediate(r));
      expect(closed).toBe(1);
      expect(codes).toEqual([0]);
    } finally {
      off();
    }
  });

  it('exits 1 when closing outlasts the grace plus the margin, and at once on a second signal', async () => {
    jest.useFakeTimers();
    const codes: number[] = [];
    const off = exitOnShutdownSignals(
      { close: () => new Promise<void>(() => undefined) },
      { graceMs: 1000, marginMs: 500, signals: ['SIGUSR2'], exit: (c) => codes.push(c), log: quiet },
    );
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      jest.advanceTimersByTime(1499);
      expect(codes).toEqual([]);
      jest.advanceTimersByTime(1);
      expect(codes).toEqual([1]);
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(codes).toEqual([1, 128]);
    } finally {
      off();
      jest.useRealTimers();
    }
  });

  it('exits 1 when closing fails', async () => {
    const codes: number[] = [];
    const off = exitOnShutdownSignals(
      { close: () => Promise.reject(new Error('db gone')) },
      { graceMs: 1000, signals: ['SIGUSR2'], exit: (c) => codes.push(c), log: quiet },
    );
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await new Promise((r) => setImmediate(r));
      expect(codes).toEqual([1]);
    } finally {
      off();
    }
  });
});
