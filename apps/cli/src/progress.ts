import { SingleBar } from 'cli-progress';

/** A progress bar on stderr when it is a terminal, plain lines otherwise (CI logs, pipes). */
export function progressBar(label: string) {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% {msg}`, stream: process.stderr, hideCursor: true });
    bar.start(100, 0, { msg: '' });
    return {
      update: (fraction: number, msg = '') => bar.update(Math.round(fraction * 100), { msg }),
      stop: () => bar.stop(),
    };
  }
  let last = -1;
  return {
    update: (fraction: number, msg = '') => {
      const pct = Math.floor(fraction * 10) * 10;
      if (pct !== last) process.stderr.write(`${label} ${pct}% ${msg}\n`);
      last = pct;
    },
    stop: () => undefined,
  };
}
