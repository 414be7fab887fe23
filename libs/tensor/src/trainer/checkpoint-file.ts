import { ValidationFailed } from '@seqcast/core';
import { randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import * as path from 'path';
import type { CheckpointTensors, TrainerCheckpoint } from './checkpoint';

/**
 * One checkpoint in one file: "SQCK", the format (u32), the header's length (u32), the
 * header (JSON: everything but the arrays, plus each group's array lengths), zero padding to
 * a multiple of 4, then every float32 array back to back (little-endian). The header comes
 * first so that GET /models/:id reads how far a run got without reading the weights.
 */
const MAGIC = 'SQCK';
// the arrays are copied as they lie in memory, which is little-endian on every platform Node runs on here
if (new Uint8Array(new Float32Array([1]).buffer)[3] !== 0x3f) throw new Error('checkpoint files need a little-endian host');
const FORMAT = 1;
const GROUPS = ['params', 'm', 'v', 'ema', 'best'] as const;

/** What the header of a checkpoint file holds: all but the arrays. */
export type CheckpointHeader = Omit<TrainerCheckpoint, 'tensors'>;

interface StoredHeader extends CheckpointHeader {
  lengths: Partial<Record<(typeof GROUPS)[number], number[]>>;
}

function damaged(file: string, reason: string): ValidationFailed {
  return new ValidationFailed(`Checkpoint ${file} is damaged: ${reason}`, [{ field: 'checkpoint', reason }]);
}

export function encodeCheckpoint(checkpoint: TrainerCheckpoint): Buffer {
  const { tensors, ...rest } = checkpoint;
  const lengths: StoredHeader['lengths'] = {};
  const arrays: Float32Array[] = [];
  for (const g of GROUPS) {
    const list = tensors[g];
    if (!list) continue;
    lengths[g] = list.map((a) => a.length);
    arrays.push(...list);
  }
  const header = Buffer.from(JSON.stringify({ ...rest, lengths } satisfies StoredHeader), 'utf8');
  const headerEnd = 12 + header.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const floats = arrays.reduce((n, a) => n + a.length, 0);
  const out = Buffer.alloc(dataStart + floats * 4);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(FORMAT, 4);
  out.writeUInt32LE(header.length, 8);
  header.copy(out, 12);
  let at = dataStart;
  for (const a of arrays) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(out, at);
    at += a.byteLength;
  }
  return out;
}

function headerOf(buf: Buffer, file: string): { header: StoredHeader; dataStart: number } {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== MAGIC) throw damaged(file, 'not a checkpoint file');
  if (buf.readUInt32LE(4) !== FORMAT) throw damaged(file, `format ${buf.readUInt32LE(4)}, expected ${FORMAT}`);
  const length = buf.readUInt32LE(8);
  if (buf.length < 12 + length) throw damaged(file, 'header cut short');
  const header = JSON.parse(buf.toString('utf8', 12, 12 + length)) as StoredHeader;
  return { header, dataStart: Math.ceil((12 + length) / 4) * 4 };
}

export function decodeCheckpoint(buf: Buffer, file = 'checkpoint'): TrainerCheckpoint {
  const { header, dataStart } = headerOf(buf, file);
  const { lengths, ...rest } = header;
  const total = GROUPS.reduce((n, g) => n + (lengths[g] ?? []).reduce((a, b) => a + b, 0), 0);
  if (buf.length !== dataStart + total * 4)
    throw damaged(file, `${buf.length} bytes, the header describes ${dataStart + total * 4}`);
  const tensors: Partial<CheckpointTensors> = {};
  let at = dataStart;
  for (const g of GROUPS) {
    const list = lengths[g];
    if (!list) continue;
    tensors[g] = list.map((n) => {
      // a copy: the file's buffer offset need not be a multiple of 4
      const a = new Float32Array(n);
      buf.copy(Buffer.from(a.buffer), 0, at, at + n * 4);
      at += n * 4;
      return a;
    });
  }
  return { ...rest, tensors: tensors as CheckpointTensors };
}

/** Writes a checkpoint beside its final name and renames it into place: a crash leaves the old one or the new one. */
export async function writeCheckpointFile(file: string, checkpoint: TrainerCheckpoint): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${randomUUID()}`;
  try {
    await fs.writeFile(tmp, encodeCheckpoint(checkpoint));
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

/** The checkpoint in `file`, or null when there is none. */
export async function readCheckpointFile(file: string): Promise<TrainerCheckpoint | null> {
  try {
    return decodeCheckpoint(await fs.readFile(file), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The header of the checkpoint in `file` (position, meta, when saved), reading no weights; null when there is none. */
export async function readCheckpointHeader(file: string): Promise<CheckpointHeader | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
  try {
    const head = Buffer.alloc(12);
    await handle.read(head, 0, 12, 0);
    const length = head.toString('latin1', 0, 4) === MAGIC ? head.readUInt32LE(8) : 0;
    const buf = Buffer.alloc(12 + length);
    await handle.read(buf, 0, buf.length, 0);
    const { lengths: _lengths, ...header } = headerOf(buf, file).header;
    return header;
  } finally {
    await handle.close();
  }
}
