/**
 * Buffers in shared memory for the chunks of a large blob, reused once the store has written
 * and hashed them. A chunk from `sharedChunk` handed to `writeBlob` belongs to the store from
 * then on: the producer must not keep or change it.
 *
 * Shared, because the store hashes a large blob on a helper thread, which reads the chunk where
 * it is; reused, because a `SharedArrayBuffer` seen by two threads is freed only after both have
 * collected their garbage, and the hash thread makes almost none: fresh chunks for a 450 MB
 * layer kept ~400 MB alive.
 */

const issued = new WeakSet<SharedArrayBuffer>();
const free: SharedArrayBuffer[] = [];
/** Free chunks kept for reuse; beyond this they are left to the garbage collector. */
const MAX_FREE = 48;

/** A buffer of `size` bytes (contents undefined) that `recycleChunk` may take back. */
export function sharedChunk(size: number): Buffer {
  for (let i = free.length - 1; i >= 0; i--) {
    const sab = free[i]!;
    if (sab.byteLength === size) {
      free.splice(i, 1);
      return Buffer.from(sab);
    }
  }
  const sab = new SharedArrayBuffer(size);
  issued.add(sab);
  return Buffer.from(sab);
}

/**
 * Takes back the memory under `chunk` when it came from `sharedChunk` (any view of it); other
 * buffers are ignored. The caller must be the last holder of the chunk.
 */
export function recycleChunk(chunk: Uint8Array): void {
  const sab = chunk.buffer;
  if (!(sab instanceof SharedArrayBuffer) || !issued.has(sab)) return;
  if (free.length < MAX_FREE && !free.includes(sab)) free.push(sab);
}
