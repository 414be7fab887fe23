import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DatasetStore } from './dataset-store';

const HOUR = 3_600_000;
const name = (c: string) => `${c.repeat(64)}.arrow`;
const index = (file: string) => file.replace(/\.arrow$/, '.index.json');

/** Files no version lists (left by a crash after a deletion's commit) are swept once old enough. */
describe('DatasetStore: orphans and sizes', () => {
  let root: string;
  let store: DatasetStore;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-orphans-'));
    store = new DatasetStore(root);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** A stored file (and its index unless told) last touched `ageMs` ago. */
  function put(file: string, ageMs: number, withIndex = true) {
    const when = new Date(Date.now() - ageMs);
    for (const f of withIndex ? [file, index(file)] : [file]) {
      fs.writeFileSync(path.join(root, f), 'x');
      fs.utimesSync(path.join(root, f), when, when);
    }
  }

  it('removes old files no version lists, with their indexes, and keeps listed, recent and foreign files', async () => {
    put(name('a'), 2 * HOUR); // listed
    put(name('b'), 2 * HOUR); // orphan
    put(name('c'), 60_000); // orphan, but as young as an upload that has not written its row yet
    fs.writeFileSync(path.join(root, index(name('d'))), '{}'); // an index whose data file never arrived
    fs.utimesSync(path.join(root, index(name('d'))), new Date(Date.now() - 2 * HOUR), new Date(Date.now() - 2 * HOUR));
    fs.writeFileSync(path.join(root, 'notes.txt'), 'not the store\'s');

    const removed = await store.sweepOrphans(new Set([name('a')]), HOUR);

    expect(removed.sort()).toEqual([name('b'), index(name('d'))].sort());
    expect(fs.readdirSync(root).sort()).toEqual(
      [name('a'), index(name('a')), name('c'), index(name('c')), 'notes.txt'].sort(),
    );
  });

  it('counts the bytes of data files and their indexes, each file once', async () => {
    put(name('e'), 0);
    fs.writeFileSync(path.join(root, name('e')), Buffer.alloc(1000));
    expect(await store.bytesOf([name('e'), name('e')])).toBe(1000 + 1);
  });
});
