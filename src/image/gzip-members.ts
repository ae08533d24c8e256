import { availableParallelism } from 'node:os';
import { gzip, type ZlibOptions } from 'node:zlib';

// Wrapped on first use: a module-level promisify would load zlib in every command (see scripts/build.mjs).
const gzipAsync = (block: Buffer, opts: ZlibOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => gzip(block, opts, (e, out) => (e ? reject(e) : resolve(out))));

/** Tar bytes per gzip member: large enough to lose almost nothing in ratio. */
export const GZIP_MEMBER = 4 << 20;
/** Members compressed at once on libuv's thread pool. */
const GZIP_PARALLEL = Math.max(2, availableParallelism());

/** Cuts a stream into pieces of exactly `size` bytes (the last may be shorter), so output is deterministic. */
async function* reblock(src: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  for await (let chunk of src) {
    if (have === 0 && chunk.length === size) {
      yield chunk; // already one block: no copy
      continue;
    }
    while (have + chunk.length >= size) {
      const take = size - have;
      parts.push(chunk.subarray(0, take));
      yield Buffer.concat(parts, size);
      chunk = chunk.subarray(take);
      parts = [];
      have = 0;
    }
    if (chunk.length > 0) {
      parts.push(chunk);
      have += chunk.length;
    }
  }
  if (have > 0) yield Buffer.concat(parts, have);
}

/**
 * Gzip as a sequence of independent members (RFC 1952 allows it; Go's, zlib's and Node's
 * readers take it), compressed in parallel on the thread pool and emitted in order. Same input,
 * same bytes.
 */
export async function* gzipMembers(src: AsyncIterable<Buffer>, level: number): AsyncGenerator<Buffer> {
  const inflight: Promise<Buffer>[] = [];
  for await (const block of reblock(src, GZIP_MEMBER)) {
    // One output chunk per member: zlib's per-chunk callbacks on the main thread are the cost otherwise.
    const p = gzipAsync(block, { level, chunkSize: GZIP_MEMBER + (64 << 10) });
    p.catch(() => undefined); // awaited in order below; keeps an early failure from going unhandled
    inflight.push(p);
    if (inflight.length >= GZIP_PARALLEL) yield await inflight.shift()!;
  }
  while (inflight.length > 0) yield await inflight.shift()!;
}
