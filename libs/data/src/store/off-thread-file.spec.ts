import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OffThreadFile } from './off-thread-file';

describe('OffThreadFile (hashing and writing on a worker thread)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seqcast-otf-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes 40 MiB in order (past the in-flight bound) and returns the sha256 of the bytes on disk', async () => {
    const file = path.join(dir, 'a.bin');
    const out = await OffThreadFile.create(file);
    const sent: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      // Plain and shared memory, views at odd offsets, several chunks a call.
      const own = randomBytes(512 * 1024 + i);
      const shared = new Uint8Array(new SharedArrayBuffer(512 * 1024 - i));
      shared.set(randomBytes(shared.length));
      const view = shared.subarray(i, shared.length - i);
      await out.write([own, view]);
      sent.push(Buffer.from(own), Buffer.from(view));
      // The caller may reuse its buffers at once: the thread holds a copy.
      own.fill(0);
      shared.fill(0);
    }
    const hash = await out.finish(true);
    const disk = fs.readFileSync(file);
    expect(disk.equals(Buffer.concat(sent))).toBe(true);
    expect(hash).toBe(createHash('sha256').update(disk).digest('hex'));
    expect(out.bytes).toBe(disk.length);
  });

  it('writes thousands of small writes in order, the last piece included at finish', async () => {
    const file = path.join(dir, 'small.bin');
    const out = await OffThreadFile.create(file);
    const sent: Buffer[] = [];
    for (let i = 0; i < 3000; i++) {
      const chunk = randomBytes(1 + ((i * 7919) % 3000));
      await out.write([chunk]);
      sent.push(chunk);
    }
    const hash = await out.finish(false);
    const disk = fs.readFileSync(file);
    expect(disk.equals(Buffer.concat(sent))).toBe(true);
    expect(hash).toBe(createHash('sha256').update(disk).digest('hex'));
    expect(out.bytes).toBe(disk.length);
  });

  it('refuses to create a file that exists, and closes an aborted one', async () => {
    const file = path.join(dir, 'b.bin');
    fs.writeFileSync(file, 'x');
    await expect(OffThreadFile.create(file)).rejects.toMatchObject({ code: 'EEXIST' });
    const c = path.join(dir, 'c.bin');
    const out = await OffThreadFile.create(c);
    await out.write([Buffer.from('partial')]);
    await out.abort();
    fs.rmSync(c);
    expect(fs.readdirSync(dir)).toEqual(['b.bin']);
  });
});
