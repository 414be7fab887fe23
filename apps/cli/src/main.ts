#!/usr/bin/env node
import 'reflect-metadata';
import { ConfigError } from '@seqcast/core';
import { buildProgram } from './program';

buildProgram()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    if (e instanceof ConfigError) {
      console.error('invalid configuration:');
      for (const d of e.details) console.error(`  ${d.field}: ${d.reason}`);
      process.exit(78);
    }
    console.error(`seqcast: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
