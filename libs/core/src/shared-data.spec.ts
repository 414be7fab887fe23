import * as path from 'path';
import { sharedDataDir, sharedDataFile, sharedDataPath } from './shared-data';

describe('shared data folder', () => {
  const saved = process.env.SEQCAST_SHARED_DATA;
  afterEach(() => {
    if (saved === undefined) delete process.env.SEQCAST_SHARED_DATA;
    else process.env.SEQCAST_SHARED_DATA = saved;
  });

  it('is ../shared/data beside the repository root by default, from any working directory', () => {
    delete process.env.SEQCAST_SHARED_DATA;
    const repoRoot = path.resolve(__dirname, '../../..');
    const cwd = process.cwd();
    try {
      process.chdir('/');
      expect(sharedDataDir()).toBe(path.resolve(repoRoot, '..', 'shared', 'data'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('follows SEQCAST_SHARED_DATA, and reports absent files as null', () => {
    process.env.SEQCAST_SHARED_DATA = '/nonexistent/seqcast-data';
    expect(sharedDataDir()).toBe('/nonexistent/seqcast-data');
    expect(sharedDataPath('events', 'x.json')).toBe('/nonexistent/seqcast-data/events/x.json');
    expect(sharedDataFile('events/x.json')).toBeNull();
    process.env.SEQCAST_SHARED_DATA = path.resolve(__dirname);
    expect(sharedDataFile('shared-data.ts')).toBe(path.join(__dirname, 'shared-data.ts'));
  });
});
