import { Worker } from 'node:worker_threads';

/**
 * A file written and hashed (sha256) on a worker thread, so an upload's disk writes and
 * hashing run on the second core while the event loop validates the next batch (the
 * ingest profile put them at about a third of the CPU time of an upload).
 *
 * The thread owns the file descriptor from open to close: its writes never race a close
 * on this side, and an aborted file is closed by the thread after its last queued write.
 * Each write hands over one copy of the bytes, in pieces of PIECE bytes transferred to the
 * thread and transferred back once written, so the copy lands in memory already mapped
 * (fresh buffers cost a page fault every 4 KiB, more than the copy itself) and the caller
 * may reuse or drop what it passed as soon as `write` returns. Bytes in flight are bounded
 * (`write` waits while more than MAX_IN_FLIGHT are queued), so memory stays flat however
 * slow the disk.
 *
 * One thread serves every file of the process (messages for each file are handled in
 * order); it is started on first use and does not keep the process alive when idle.
 */

/** Bytes queued to the thread before `write` waits for the disk. */
const MAX_IN_FLIGHT = 4 * 1024 * 1024;
/** Size of the recycled buffers bytes travel in. */
const PIECE = 1024 * 1024;

// Plain JavaScript run with `eval: true`: no loader needed, the same in tests and built code.
const THREAD = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const { createHash } = require('node:crypto');
const files = new Map();
function fail(id, e) {
  const f = files.get(id);
  if (f && f.fd !== null) { try { fs.closeSync(f.fd); } catch {} f.fd = null; }
  if (f) f.failed = true;
  parentPort.postMessage({ id, op: 'error', message: e.message, code: e.code });
}
parentPort.on('message', (m) => {
  const f = files.get(m.id);
  try {
    if (m.op === 'open') {
      files.set(m.id, { fd: fs.openSync(m.path, 'wx'), hash: createHash('sha256'), failed: false });
      parentPort.postMessage({ id: m.id, op: 'opened' });
    } else if (m.op === 'write') {
      if (!f || f.failed) return;
      const bytes = new Uint8Array(m.buffer, 0, m.length);
      f.hash.update(bytes);
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(f.fd, bytes, at, bytes.length - at);
      parentPort.postMessage({ id: m.id, op: 'written', buffer: m.buffer, length: m.length }, [m.buffer]);
    } else if (m.op === 'finish') {
      if (!f || f.failed) return;
      if (m.fsync) fs.fsyncSync(f.fd);
      fs.closeSync(f.fd);
      files.delete(m.id);
      parentPort.postMessage({ id: m.id, op: 'finished', hash: f.hash.digest('hex') });
    } else if (m.op === 'abort') {
      if (f && f.fd !== null) fs.closeSync(f.fd);
      files.delete(m.id);
      parentPort.postMessage({ id: m.id, op: 'aborted' });
    }
  } catch (e) {
    fail(m.id, e);
  }
});
`;

type Reply =
  | { id: number; op: 'opened' | 'aborted' }
  | { id: number; op: 'written'; buffer: ArrayBuffer; length: number }
  | { id: number; op: 'finished'; hash: string }
  | { id: number; op: 'error'; message: string; code?: string };

interface Waiter {
  /** Replies this waiter is for; an error reply settles any waiter. */
  op: Reply['op'];
  resolve: (r: Reply) => void;
  reject: (e: Error) => void;
}

class FileThread {
  /** Pieces back from the thread, for the next writes (at most what may be in flight). */
  readonly pieces: ArrayBuffer[] = [];
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly files = new Map<number, OffThreadFile>();

  register(file: OffThreadFile): number {
    const id = this.nextId++;
    this.files.set(id, file);
    const worker = this.start();
    if (this.files.size === 1) worker.ref(); // pending file work keeps the process alive
    return id;
  }

  release(id: number): void {
    this.files.delete(id);
    if (this.files.size === 0) this.worker?.unref();
  }

  post(message: Record<string, unknown>, transfer: ArrayBuffer[] = []): void {
    this.start().postMessage(message, transfer);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    // No inherited flags: a `-r` loader (swc in development) would cost the thread a second to start.
    const worker = new Worker(THREAD, { eval: true, execArgv: [] });
    worker.unref();
    worker.on('message', (r: Reply) => {
      if (r.op === 'written' && this.pieces.length < MAX_IN_FLIGHT / PIECE) this.pieces.push(r.buffer);
      this.files.get(r.id)?.onReply(r);
    });
    const lost = (e: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const f of this.files.values()) f.onLost(e);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the file-writing thread exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

let thread: FileThread | null = null;

export class OffThreadFile {
  private readonly id: number;
  private readonly waiters: Waiter[] = [];
  private inFlight = 0;
  private failure: Error | null = null;
  private drained: (() => void) | null = null;
  /** The piece later writes append to, not yet sent, and how much of it they filled. */
  private piece: Uint8Array | null = null;
  private filled = 0;
  bytes = 0;

  private constructor(readonly path: string) {
    thread ??= new FileThread();
    this.id = thread.register(this);
  }

  /** Creates `path` (which must not exist) on the thread. */
  static async create(path: string): Promise<OffThreadFile> {
    const file = new OffThreadFile(path);
    try {
      await file.request({ op: 'open', path }, 'opened');
    } catch (e) {
      thread!.release(file.id);
      throw e;
    }
    return file;
  }

  /** Queues `chunks` (copied) for hashing and writing; waits while too much is queued. */
  async write(chunks: readonly Uint8Array[]): Promise<void> {
    if (this.failure) throw this.failure;
    for (const chunk of chunks) {
      for (let at = 0; at < chunk.byteLength;) {
        this.piece ??= new Uint8Array(thread!.pieces.pop() ?? new ArrayBuffer(PIECE));
        const k = Math.min(chunk.byteLength - at, PIECE - this.filled);
        this.piece.set(k === chunk.byteLength ? chunk : chunk.subarray(at, at + k), this.filled);
        this.filled += k;
        this.bytes += k;
        at += k;
        if (this.filled === PIECE) this.send();
      }
    }
    // A piece partly filled goes at once only to an idle thread; else later writes fill it
    // (or the thread's next reply sends it). Sending one a write let a stream of small writes
    // (a Parquet reader's 1024-row batches) put a fresh 1 MiB piece in flight per 26 KiB.
    if (this.inFlight === 0) this.send();
    while (this.inFlight > MAX_IN_FLIGHT && !this.failure)
      await new Promise<void>((resolve) => (this.drained = resolve));
    if (this.failure) throw this.failure;
  }

  /** Hands the piece being filled to the thread (nothing when it is empty). */
  private send(): void {
    if (!this.piece || this.filled === 0) return;
    thread!.post({ id: this.id, op: 'write', buffer: this.piece.buffer, length: this.filled }, [
      this.piece.buffer,
    ]);
    this.inFlight += this.filled;
    this.piece = null;
    this.filled = 0;
  }

  /** Waits for every queued write, fsyncs if asked, closes the file and returns the sha256 of its bytes. */
  async finish(fsync: boolean): Promise<string> {
    try {
      if (!this.failure) this.send();
      const r = await this.request({ op: 'finish', fsync }, 'finished');
      return (r as { hash: string }).hash;
    } finally {
      thread!.release(this.id);
    }
  }

  /** Drops queued writes' results and closes the file (the caller removes it). */
  async abort(): Promise<void> {
    this.piece = null;
    this.filled = 0;
    try {
      if (!this.failure || this.failure.message !== LOST) await this.request({ op: 'abort' }, 'aborted');
    } catch {
      // the file is closed either way: the thread closes it on its own errors
    } finally {
      thread!.release(this.id);
    }
  }

  private request(message: Record<string, unknown>, op: Reply['op']): Promise<Reply> {
    if (this.failure && op !== 'aborted') return Promise.reject(this.failure);
    return new Promise<Reply>((resolve, reject) => {
      this.waiters.push({ op, resolve, reject });
      thread!.post({ ...message, id: this.id });
    });
  }

  /** @internal A reply from the thread for this file. */
  onReply(r: Reply): void {
    if (r.op === 'written') {
      this.inFlight -= r.length;
      if (this.inFlight === 0 && !this.failure) this.send();
      if (this.inFlight <= MAX_IN_FLIGHT && this.drained) {
        const wake = this.drained;
        this.drained = null;
        wake();
      }
      return;
    }
    if (r.op === 'error') {
      const e = Object.assign(new Error(r.message), { code: r.code });
      this.fail(e);
      return;
    }
    const i = this.waiters.findIndex((w) => w.op === r.op);
    if (i >= 0) this.waiters.splice(i, 1)[0].resolve(r);
  }

  /** @internal The thread died: every pending call of this file fails. */
  onLost(e: Error): void {
    this.fail(Object.assign(new Error(LOST), { cause: e }));
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const w of this.waiters.splice(0)) w.reject(this.failure);
    const wake = this.drained;
    this.drained = null;
    wake?.();
  }
}

const LOST = 'the file-writing thread stopped';
