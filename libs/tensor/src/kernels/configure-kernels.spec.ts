import { loadKernelSettings } from '@seqcast/core';
import { existsSync, readFileSync } from 'fs';
import { availableParallelism } from 'os';
import { configureKernels, configuredKernels } from './configure-kernels';
import { nativeKernels, nativeKernelsBuilt } from './native-kernels';
import { kernelTier } from './wasm-kernels';

/** The widest build this CPU runs, read off the kernel's own list of CPU flags (Linux). */
function widestFromCpuinfo(): string | null {
  if (!existsSync('/proc/cpuinfo')) return null;
  const flags = new Set(
    (/^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? '').trim().split(/\s+/),
  );
  if (flags.has('avx512f') && flags.has('avx512dq')) return 'avx512';
  return flags.has('avx2') && flags.has('fma') ? 'avx2' : 'base';
}

const RANK: Record<string, number> = { base: 0, avx2: 1, avx512: 2 };

describe('configureKernels', () => {
  const before = configuredKernels();
  afterEach(() => configureKernels(before));

  it("starts from the environment's settings, as the test setup reads them through the configuration", () => {
    // what `SEQCAST_NATIVE_ISA=avx2 npm run test:unit` (.ci/run) relies on
    expect(before).toEqual(loadKernelSettings(process.env));
    if (nativeKernels()) expect(RANK[nativeKernels()!.isa()]).toBeLessThanOrEqual(RANK[before.isa] ?? 2);
  });

  it('turns the native tier off and on', () => {
    configureKernels({ native: false, isa: 'auto' });
    expect(nativeKernels()).toBeNull();
    expect(kernelTier()).not.toBe('native');
    configureKernels({ native: true, isa: 'auto' });
    expect(kernelTier() === 'native').toBe(nativeKernelsBuilt());
  });

  (nativeKernelsBuilt() ? it : it.skip)(
    'runs the native kernels on at most the configured instruction set',
    () => {
      const widest = widestFromCpuinfo();
      configureKernels({ native: true, isa: 'auto' });
      if (widest) expect(nativeKernels()!.isa()).toBe(widest);
      const top = RANK[nativeKernels()!.isa()];
      for (const isa of ['base', 'avx2', 'avx512'] as const) {
        configureKernels({ native: true, isa });
        // the named build where the CPU runs it, else the widest below it
        expect(nativeKernels()!.isa()).toBe(Object.keys(RANK)[Math.min(RANK[isa], top)]);
      }
    },
  );

  (nativeKernelsBuilt() ? it : it.skip)('sizes the native thread pool: n threads, or every usable core for 0 or none', () => {
    configureKernels({ native: true, isa: 'auto', threads: 2 });
    expect(nativeKernels()!.threads()).toBe(2);
    expect(configuredKernels().threads).toBe(2);
    configureKernels({ native: true, isa: 'auto', threads: 0 });
    expect(nativeKernels()!.threads()).toBe(availableParallelism());
    configureKernels({ native: true, isa: 'auto', threads: 1 });
    configureKernels({ native: true, isa: 'auto' });
    expect(nativeKernels()!.threads()).toBe(availableParallelism());
    expect(configuredKernels().threads).toBe(0);
  });
});
