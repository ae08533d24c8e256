import { createHash, type Hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/**
 * SHA-256 of a stream of chunks, computed on a helper thread once the stream is large. Writing
 * a big layer keeps the main thread busy reading files into chunks; hashing there as well
 * (~0.35 s for 450 MB on this kind of machine) made it the bottleneck with the second core
 * half idle.
 *
 * Chunks are shared, not copied: a chunk backed by a `SharedArrayBuffer` is handed to the thread
 * as is (any other is copied into one), so a chunk must not change once given to `update`.
 * Small streams never start the thread: the first `offloadAfter` bytes are only kept, and hashed
 * here if the stream ends before reaching that.
 */
export interface StreamHash {
  /**
   * Adds a chunk; resolves when the thread has room for more. `hashed` is called once the
   * chunk is no longer needed (not after `abort`).
   */
  update(chunk: Uint8Array, hashed?: () => void): Promise<void>;
  /** The hex digest of everything added. */
  digest(): Promise<string>;
  /** Drops the stream (after a failure); the thread forgets it. */
  abort(): void;
}

export interface StreamHashOptions {
  /** Bytes kept before the thread is used; streams shorter than this are hashed here. */
  offloadAfter?: number;
}

/** Below this a helper thread costs more than it saves (starting one is ~3 ms here, ~30 ms there). */
const OFFLOAD_AFTER = 8 << 20;
/**
 * Chunks handed to the thread and not yet hashed, per stream: enough to keep producing while
 * the thread starts; after that the thread, hashing faster than files are read, keeps up.
 */
const MAX_QUEUED = 16;

interface Kept {
  chunk: Uint8Array;
  hashed: (() => void) | undefined;
}

export function streamHash(options: StreamHashOptions = {}): StreamHash {
  const offloadAfter = options.offloadAfter ?? OFFLOAD_AFTER;
  let kept: Kept[] = [];
  let keptBytes = 0;
  let local: Hash | undefined;
  let remote: RemoteStream | undefined;
  const hashKept = (h: Hash): void => {
    const pending = kept;
    kept = [];
    for (const k of pending) {
      h.update(k.chunk);
      k.hashed?.();
    }
  };
  return {
    async update(chunk, hashed) {
      if (local !== undefined) {
        local.update(chunk);
        hashed?.();
        return;
      }
      if (remote !== undefined) return remote.send(chunk, hashed);
      kept.push({ chunk, hashed });
      keptBytes += chunk.byteLength;
      // Anything not shared would have to be copied for the thread: such streams are hashed here.
      if (!(chunk.buffer instanceof SharedArrayBuffer)) {
        local = createHash('sha256');
        hashKept(local);
        return;
      }
      if (keptBytes < offloadAfter) return;
      try {
        remote = openRemote();
      } catch {
        // No thread to be had (a resource limit): hash here, as for a small stream.
        local = createHash('sha256');
        hashKept(local);
        return;
      }
      const pending = kept;
      kept = [];
      for (const k of pending) await remote.send(k.chunk, k.hashed);
    },
    async digest() {
      if (remote !== undefined) return remote.end();
      local ??= createHash('sha256');
      hashKept(local);
      return local.digest('hex');
    },
    abort() {
      kept = [];
      remote?.abort();
    },
  };
}

/** One stream's side of the shared hash thread. */
interface RemoteStream {
  send(chunk: Uint8Array, hashed: (() => void) | undefined): Promise<void>;
  end(): Promise<string>;
  abort(): void;
}

/** What the thread runs: one sha256 per open stream id; acknowledges each chunk. */
const THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const open = new Map();
parentPort.on('message', (m) => {
  if (m.op === 'chunk') {
    let h = open.get(m.id);
    if (h === undefined) open.set(m.id, (h = createHash('sha256')));
    h.update(new Uint8Array(m.buffer, m.offset, m.length));
    parentPort.postMessage({ id: m.id, op: 'ack' });
  } else if (m.op === 'end') {
    const h = open.get(m.id) ?? createHash('sha256');
    open.delete(m.id);
    parentPort.postMessage({ id: m.id, op: 'digest', hex: h.digest('hex') });
  } else if (m.op === 'abort') {
    open.delete(m.id);
  }
});
`;

interface Listener {
  ack(): void;
  digest(hex: string): void;
  fail(e: Error): void;
}

interface HashThread {
  worker: Worker;
  /** Open streams by id. */
  listeners: Map<number, Listener>;
}

let current: HashThread | undefined;
let nextId = 1;

function hashThread(): HashThread {
  if (current !== undefined) return current;
  const worker = new Worker(THREAD_SOURCE, { eval: true, env: {} });
  const t: HashThread = { worker, listeners: new Map() };
  worker.on('message', (m: { id: number; op: 'ack' | 'digest'; hex?: string }) => {
    const l = t.listeners.get(m.id);
    if (m.op === 'ack') l?.ack();
    else l?.digest(m.hex ?? '');
  });
  const die = (e: Error): void => {
    if (current === t) current = undefined;
    for (const l of [...t.listeners.values()]) l.fail(e);
  };
  worker.on('error', die);
  worker.on('exit', (code) => die(new Error(`the hash thread exited with code ${code}`)));
  worker.unref();
  current = t;
  return t;
}

function openRemote(): RemoteStream {
  const { worker: w, listeners } = hashThread();
  const id = nextId++;
  /** Callbacks of the chunks sent and not yet acknowledged, in order. */
  const queue: Array<(() => void) | undefined> = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let done: { resolve: (hex: string) => void; reject: (e: Error) => void } | undefined;
  const close = (): void => {
    listeners.delete(id);
    if (listeners.size === 0) w.unref();
  };
  listeners.set(id, {
    ack() {
      queue.shift()?.();
      const f = wake;
      wake = undefined;
      f?.();
    },
    digest(hex) {
      close();
      done?.resolve(hex);
    },
    fail(e) {
      failure = e;
      close();
      const f = wake;
      wake = undefined;
      f?.();
      done?.reject(e);
    },
  });
  w.ref();
  return {
    async send(chunk, hashed) {
      if (failure !== undefined) throw failure;
      const shared = chunk.buffer instanceof SharedArrayBuffer ? chunk : copyToShared(chunk);
      w.postMessage({
        id,
        op: 'chunk',
        buffer: shared.buffer,
        offset: shared.byteOffset,
        length: shared.byteLength,
      });
      queue.push(hashed);
      while (queue.length >= MAX_QUEUED && failure === undefined) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
      if (failure !== undefined) throw failure;
    },
    end() {
      if (failure !== undefined) return Promise.reject(failure);
      return new Promise<string>((resolve, reject) => {
        done = { resolve, reject };
        w.postMessage({ id, op: 'end' });
      });
    },
    abort() {
      if (!listeners.has(id)) return;
      close();
      w.postMessage({ id, op: 'abort' });
    },
  };
}

function copyToShared(chunk: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(chunk.byteLength));
  out.set(chunk);
  return out;
}
