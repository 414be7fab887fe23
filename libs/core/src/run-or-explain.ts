import { ConfigError } from './errors';

/** Runs a process entry point; a bad configuration is printed variable by variable and exits 78. */
export function runOrExplain(main: () => Promise<unknown>): void {
  main().catch((e: unknown) => {
    if (e instanceof ConfigError) {
      console.error('seqcast cannot start: invalid configuration');
      for (const d of e.details) console.error(`  ${d.field}: ${d.reason}`);
      process.exit(78); // EX_CONFIG
    }
    console.error('seqcast failed to start:', e instanceof Error ? e.stack : e);
    process.exit(1);
  });
}
