/**
 * Buffers in shared, page-aligned memory for the chunks of a large blob, reused once the store
 * has written and hashed them. A chunk from `sharedChunk` handed to `writeBlob` belongs to the
 * store from then on: the producer must not keep or change it.
 *
 * - Shared, because the store hashes a large blob on a helper thread, which reads the chunk
 *   where it is.
 * - Page-aligned (carved from shared WebAssembly memory, whose base is page-aligned; a plain
 *   `SharedArrayBuffer` is not), so the store can write it with `O_DIRECT`: on a VM, filling
 *   page-cache pages the guest has not touched lately costs ~3 ms per MiB (a 448 MB layer took
 *   1.4–1.7 s of copying), while the direct write of the same bytes takes ~0.35 s.
 * - Reused, because a `SharedArrayBuffer` seen by two threads is freed only after both have
 *   collected their garbage, and the hash thread makes almost none: fresh chunks for a 450 MB
 *   layer kept ~400 MB alive.
 */

/** Alignment `O_DIRECT` asks of buffer addresses, file offsets and lengths. */
export const DIRECT_IO_ALIGN = 4096;
/** Chunks carved from one block of WebAssembly memory (fewer when they are larger than 1 MiB). */
const CHUNKS_PER_SLAB = 16;
const SLAB_BYTES = 16 << 20;
const WASM_PAGE = 65536;
/** Free chunks of one size kept for reuse; beyond this they are left to the garbage collector. */
const MAX_FREE = 3 * CHUNKS_PER_SLAB;

/** Memory blocks chunks were carved from, with their chunk size. */
const slabs = new WeakMap<SharedArrayBuffer, number>();
/** Chunks from plain shared memory (sizes that are no multiple of the alignment). */
const loose = new WeakSet<SharedArrayBuffer>();
/** Free chunks by size. */
const free = new Map<number, Buffer[]>();

/** A buffer of `size` bytes (contents undefined) that `recycleChunk` may take back. */
export function sharedChunk(size: number): Buffer {
  const reuse = free.get(size)?.pop();
  if (reuse !== undefined) return reuse;
  if (size > 0 && size % DIRECT_IO_ALIGN === 0) {
    const count = Math.max(1, Math.min(CHUNKS_PER_SLAB, Math.floor(SLAB_BYTES / size)));
    const slab = alignedMemory(size * count);
    if (slab !== undefined) {
      slabs.set(slab, size);
      const list = freeOf(size);
      for (let i = count - 1; i > 0; i--) list.push(Buffer.from(slab, i * size, size));
      return Buffer.from(slab, 0, size);
    }
  }
  const sab = new SharedArrayBuffer(size);
  loose.add(sab);
  return Buffer.from(sab);
}

/**
 * Takes back the memory under `chunk` when it came from `sharedChunk` (any view starting where
 * the chunk starts); other buffers are ignored. The caller must be the last holder of the chunk.
 */
export function recycleChunk(chunk: Uint8Array): void {
  const memory = chunk.buffer;
  if (!(memory instanceof SharedArrayBuffer)) return;
  const size = slabs.get(memory);
  let whole: Buffer;
  if (size !== undefined) {
    if (chunk.byteOffset % size !== 0) return;
    whole = Buffer.from(memory, chunk.byteOffset, size);
  } else if (loose.has(memory) && chunk.byteOffset === 0) {
    whole = Buffer.from(memory);
  } else {
    return;
  }
  const list = freeOf(whole.byteLength);
  if (list.length >= MAX_FREE) return;
  if (list.some((f) => f.buffer === memory && f.byteOffset === whole.byteOffset)) return;
  list.push(whole);
}

function freeOf(size: number): Buffer[] {
  const list = free.get(size) ?? [];
  free.set(size, list);
  return list;
}

/** Whether `chunk` may be written with `O_DIRECT` (its address and length are aligned). */
export function isDirectAligned(chunk: Uint8Array): boolean {
  const memory = chunk.buffer;
  return (
    memory instanceof SharedArrayBuffer &&
    slabs.has(memory) &&
    chunk.byteOffset % DIRECT_IO_ALIGN === 0 &&
    chunk.byteLength % DIRECT_IO_ALIGN === 0
  );
}

/** The part of the WebAssembly API used here (node's types leave the global out). */
declare const WebAssembly: {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => { buffer: ArrayBufferLike };
};

/** Page-aligned shared memory of at least `bytes`, or undefined where it cannot be had. */
function alignedMemory(bytes: number): SharedArrayBuffer | undefined {
  const pages = Math.ceil(bytes / WASM_PAGE);
  try {
    const buffer = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }).buffer;
    return buffer instanceof SharedArrayBuffer ? buffer : undefined;
  } catch {
    return undefined; // address space limits (ulimit -v): plain shared memory instead
  }
}
