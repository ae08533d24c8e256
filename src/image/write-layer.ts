import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { GantryError } from '../errors/gantry-error.ts';

import { type Digest, sha256Digest } from '../oci/digest.ts';
import { MediaType } from '../oci/media-types.ts';
import type { Descriptor } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { type LayerEntry, tarNameOf } from './layer-entry.ts';
import { encodeTarHeader, endOfArchive, padding, type TarHeader, TypeFlag } from './tar-header.ts';

const gzipAsync = promisify(gzip);

export interface WriteLayerOptions {
  blobs: BlobStore;
  compression: 'gzip' | 'none';
  /** zlib level 0..9; zlib's default when absent. */
  gzipLevel?: number;
  /** When set, every mtime later than this (seconds) is clamped to it (SOURCE_DATE_EPOCH). */
  sourceDateEpoch?: number;
}

export interface WrittenLayer {
  /** sha256 of the uncompressed tar. */
  diffId: Digest;
  /** Bytes of the uncompressed tar. */
  uncompressedSize: number;
  /** The stored blob: digest and size of the (compressed) bytes, and the layer media type. */
  descriptor: Descriptor;
}

const TYPEFLAGS: Record<LayerEntry['type'], string> = {
  file: TypeFlag.file,
  dir: TypeFlag.dir,
  symlink: TypeFlag.symlink,
  hardlink: TypeFlag.hardlink,
  char: TypeFlag.char,
  block: TypeFlag.block,
  fifo: TypeFlag.fifo,
  whiteout: TypeFlag.file,
  opaque: TypeFlag.file,
};

/** The tar header for one entry (whiteouts and opaque markers as empty regular files). */
export function headerFor(entry: LayerEntry, sourceDateEpoch?: number): TarHeader {
  const marker = entry.type === 'whiteout' || entry.type === 'opaque';
  const mtime = sourceDateEpoch === undefined ? entry.mtime : Math.min(entry.mtime, sourceDateEpoch);
  const header: TarHeader = {
    name: tarNameOf(entry),
    typeflag: TYPEFLAGS[entry.type],
    mode: marker ? entry.mode & 0o777 : entry.mode & 0o7777,
    uid: entry.uid,
    gid: entry.gid,
    size: entry.type === 'file' ? entry.size : 0,
    mtime: Math.max(0, Math.floor(mtime)),
  };
  if (entry.type === 'symlink' || entry.type === 'hardlink') header.linkname = entry.linkname ?? '';
  if (entry.type === 'char' || entry.type === 'block') {
    header.devmajor = entry.devmajor ?? 0;
    header.devminor = entry.devminor ?? 0;
  }
  if (!marker && entry.xattrs !== undefined && Object.keys(entry.xattrs).length > 0)
    header.xattrs = entry.xattrs;
  return header;
}

async function* fileContent(entry: LayerEntry): AsyncGenerator<Buffer> {
  if (entry.content !== undefined) {
    if (entry.content.length !== entry.size) throw new Error(`entry ${entry.path}: content length != size`);
    if (entry.size > 0) yield entry.content;
    return;
  }
  if (entry.size === 0) return;
  if (entry.source === undefined) throw new Error(`file entry ${entry.path} has neither source nor content`);
  let read = 0;
  const fh = await open(entry.source, 'r');
  try {
    // Chunks of at most 1 MiB: a small file costs one read, a big one streams in constant memory.
    while (read < entry.size) {
      const want = Math.min(entry.size - read, 1 << 20);
      const { bytesRead, buffer } = await fh.read(Buffer.allocUnsafe(want), 0, want, read);
      if (bytesRead === 0) break;
      read += bytesRead;
      yield bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
  if (read !== entry.size) {
    throw new GantryError(
      'E_LAYER_SOURCE_CHANGED',
      `${entry.source} shrank from ${entry.size} to ${read} bytes while it was being archived`,
      {
        hint: 'something changed the file during the build; make sure nothing else writes to the directory',
      },
    );
  }
}

/** Files up to this size are read whole, several at once ahead of the writer. */
const PREFETCH_MAX_SIZE = 256 * 1024;
/** How many entries ahead small files are read. */
const PREFETCH_AHEAD = 32;
/** Output is handed on in pieces of at least this size (few large writes into zlib and the store). */
const COALESCE = 256 * 1024;

interface Pending {
  entry: LayerEntry;
  /** Content of a small file, read ahead; undefined for entries streamed when their turn comes. */
  content?: Promise<Buffer>;
}

/**
 * A small file read in one synchronous call: for thousands of small files the promise-based
 * open/read/close round trips cost more than the bytes (measured 10x on a 5,000-file context).
 */
async function readSmall(entry: LayerEntry): Promise<Buffer> {
  const data = readFileSync(entry.source!);
  if (data.length !== entry.size) {
    throw new GantryError(
      'E_LAYER_SOURCE_CHANGED',
      `${entry.source} changed size from ${entry.size} to ${data.length} bytes while it was being archived`,
      {
        hint: 'something changed the file during the build; make sure nothing else writes to the directory',
      },
    );
  }
  return data;
}

/** Entries with small files' contents already being read, up to PREFETCH_AHEAD ahead. */
async function* prefetched(
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
): AsyncGenerator<Pending> {
  const queue: Pending[] = [];
  const start = (entry: LayerEntry): Pending => {
    const small =
      entry.type === 'file' &&
      entry.content === undefined &&
      entry.source !== undefined &&
      entry.size > 0 &&
      entry.size <= PREFETCH_MAX_SIZE;
    const p: Pending = small ? { entry, content: readSmall(entry) } : { entry };
    // A read that fails is reported when its entry's turn comes, not as an unhandled rejection.
    p.content?.catch(() => undefined);
    return p;
  };
  for await (const entry of entries) {
    queue.push(start(entry));
    if (queue.length > PREFETCH_AHEAD) yield queue.shift()!;
  }
  while (queue.length > 0) yield queue.shift()!;
}

/** The uncompressed tar bytes of `entries`, in the order given, fed to `hash` on the way. */
export async function* tarChunks(
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
  hash: Hash,
  sourceDateEpoch?: number,
): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let pending = 0;
  const flush = (): Buffer => {
    const b = parts.length === 1 ? parts[0]! : Buffer.concat(parts, pending);
    parts = [];
    pending = 0;
    hash.update(b);
    return b;
  };
  const add = (b: Buffer): boolean => {
    parts.push(b);
    pending += b.length;
    return pending >= COALESCE;
  };
  for await (const { entry, content } of prefetched(entries)) {
    if (add(encodeTarHeader(headerFor(entry, sourceDateEpoch)))) yield flush();
    if (entry.type !== 'file') continue;
    if (content !== undefined) {
      if (add(await content)) yield flush();
    } else {
      for await (const chunk of fileContent(entry)) if (add(chunk)) yield flush();
    }
    const pad = padding(entry.size);
    if (pad > 0 && add(Buffer.alloc(pad))) yield flush();
  }
  add(endOfArchive());
  yield flush();
}

/**
 * Writes `entries` (already in layer order) as a tar, optionally gzip-compressed, straight into
 * the blob store. The diffID and the blob digest are computed in the same streaming pass; memory
 * use does not depend on the layer's size.
 */
export async function writeLayer(
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
  options: WriteLayerOptions,
): Promise<WrittenLayer> {
  const diffHash = createHash('sha256');
  const blobHash = createHash('sha256');
  let uncompressedSize = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of tarChunks(entries, diffHash, options.sourceDateEpoch)) {
      uncompressedSize += chunk.length;
      yield chunk;
    }
  }
  const out = options.compression === 'gzip' ? gzipMembers(counted(), options.gzipLevel ?? -1) : counted();
  let size = 0;
  async function* tap(): AsyncGenerator<Buffer> {
    for await (const chunk of out) {
      blobHash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  }
  const info = await options.blobs.put(tap());
  const digest = sha256Digest(blobHash.digest('hex'));
  if (info.digest !== digest || info.size !== size) {
    throw new Error(
      `blob store recorded ${info.digest}/${info.size} for a layer hashed as ${digest}/${size}`,
    );
  }
  const diffId = sha256Digest(diffHash.digest('hex'));
  return {
    diffId,
    uncompressedSize,
    descriptor: {
      mediaType: options.compression === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayer,
      digest,
      size,
      ...(options.compression === 'gzip'
        ? { annotations: { [UNCOMPRESSED_SIZE_ANNOTATION]: String(uncompressedSize) } }
        : {}),
    },
  };
}

/** Layer descriptors gantry writes carry their tar size (a multi-member gzip has no single ISIZE). */
export const UNCOMPRESSED_SIZE_ANNOTATION = 'io.gantry.layer.uncompressed-size';

/** Tar bytes per gzip member: large enough to lose almost nothing in ratio. */
const GZIP_MEMBER = 4 << 20;
/** Members compressed at once on libuv's thread pool. */
const GZIP_PARALLEL = Math.max(2, availableParallelism());

/** Cuts a stream into pieces of exactly `size` bytes (the last may be shorter), so output is deterministic. */
async function* reblock(src: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let have = 0;
  for await (let chunk of src) {
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
async function* gzipMembers(src: AsyncIterable<Buffer>, level: number): AsyncGenerator<Buffer> {
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
