import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { GantryError } from '../errors/gantry-error.ts';

import { type Digest, sha256Digest } from '../oci/digest.ts';
import { MediaType } from '../oci/media-types.ts';
import type { Descriptor } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { GZIP_MEMBER, gzipMembers } from './gzip-members.ts';
import { type LayerEntry, tarNameOf } from './layer-entry.ts';
import { encodeTarHeader, endOfArchive, padding, type TarHeader, TypeFlag } from './tar-header.ts';

export interface WriteLayerOptions {
  blobs: BlobStore;
  compression: 'gzip' | 'none';
  /** zlib level 0..9; zlib's default when absent. */
  gzipLevel?: number;
  /** When set, every mtime later than this (seconds) is clamped to it (SOURCE_DATE_EPOCH). */
  sourceDateEpoch?: number;
  /**
   * Makes the buffers the tar is written into; each is handed to the blob store whole. The
   * store's `sharedChunk` lets it hash a large layer on a helper thread and reuse the buffers.
   */
  newChunk?: (size: number) => Buffer;
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

/** Size of the pieces the tar comes out in: few, large writes into the store. */
const CHUNK = 1 << 20;

function sourceChanged(entry: LayerEntry, got: string): GantryError {
  return new GantryError(
    'E_LAYER_SOURCE_CHANGED',
    `${entry.source} changed size from ${entry.size} to ${got} bytes while it was being archived`,
    {
      hint: 'something changed the file during the build; make sure nothing else writes to the directory',
    },
  );
}

/**
 * Fills fresh 1 MiB buffers with tar bytes. File contents are read straight into the buffer
 * (synchronously: for thousands of small files a promise per open/read/close costs more than
 * the bytes, and reading into one buffer leaves no per-file garbage).
 */
class ChunkFiller {
  private readonly size: number;
  private readonly hash: Hash | undefined;
  private readonly newChunk: (size: number) => Buffer;
  private buf: Buffer;
  private n = 0;
  private readonly full: Buffer[] = [];

  constructor(size: number, hash: Hash | undefined, newChunk: (size: number) => Buffer) {
    this.size = size;
    this.hash = hash;
    this.newChunk = newChunk;
    this.buf = newChunk(size);
  }

  /** Moves a completed buffer out and starts a new one. */
  private next(): void {
    this.full.push(this.buf);
    this.buf = this.newChunk(this.size);
    this.n = 0;
  }

  bytes(b: Buffer): void {
    let off = 0;
    while (off < b.length) {
      if (this.n === this.size) this.next();
      const take = Math.min(b.length - off, this.size - this.n);
      b.copy(this.buf, this.n, off, off + take);
      this.n += take;
      off += take;
    }
  }

  zeros(count: number): void {
    let left = count;
    while (left > 0) {
      if (this.n === this.size) this.next();
      const take = Math.min(left, this.size - this.n);
      this.buf.fill(0, this.n, this.n + take);
      this.n += take;
      left -= take;
    }
  }

  /**
   * Reads exactly `entry.size` bytes of `entry.source` into the chunks, pausing (yielding) each
   * time a chunk is full so that a big file streams through in constant memory.
   */
  *file(entry: LayerEntry): Generator<void> {
    const fd = openSync(entry.source!, 'r');
    try {
      let read = 0;
      while (read < entry.size) {
        if (this.n === this.size) {
          this.next();
          yield;
        }
        const want = Math.min(entry.size - read, this.size - this.n);
        const got = readSync(fd, this.buf, this.n, want, read);
        if (got === 0) throw sourceChanged(entry, String(read));
        this.n += got;
        read += got;
      }
    } finally {
      closeSync(fd);
    }
  }

  /**
   * The completed buffers (and, at the end, the partial one), fed to the hash and handed over to
   * the caller.
   */
  take(final: boolean): Buffer[] {
    const out = this.full.splice(0);
    if (final && this.n > 0) {
      out.push(this.buf.subarray(0, this.n));
      this.buf = Buffer.allocUnsafe(0);
      this.n = 0;
    }
    for (const b of out) this.hash?.update(b);
    return out;
  }
}

export interface TarChunksOptions {
  /** Fed every byte on the way. */
  hash?: Hash;
  sourceDateEpoch?: number;
  chunkSize?: number;
  newChunk?: (size: number) => Buffer;
}

/**
 * The uncompressed tar bytes of `entries`, in the order given, in pieces of `chunkSize` bytes
 * (the last may be shorter), fed to `hash` (when given) on the way. Each piece is a fresh buffer
 * (from `newChunk`) the consumer may keep.
 */
export async function* tarChunks(
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
  options: TarChunksOptions = {},
): AsyncGenerator<Buffer> {
  const { hash, sourceDateEpoch } = options;
  const out = new ChunkFiller(
    options.chunkSize ?? CHUNK,
    hash,
    options.newChunk ?? ((size) => Buffer.allocUnsafe(size)),
  );
  for await (const entry of entries) {
    out.bytes(encodeTarHeader(headerFor(entry, sourceDateEpoch)));
    if (entry.type === 'file' && entry.size > 0) {
      if (entry.content !== undefined) {
        if (entry.content.length !== entry.size)
          throw new Error(`entry ${entry.path}: content length != size`);
        out.bytes(entry.content);
      } else if (entry.source !== undefined) {
        for (const _ of out.file(entry)) yield* out.take(false);
      } else {
        throw new Error(`file entry ${entry.path} has neither source nor content`);
      }
      out.zeros(padding(entry.size));
    }
    yield* out.take(false);
  }
  out.bytes(endOfArchive());
  yield* out.take(true);
}

/**
 * Writes `entries` (already in layer order) as a tar, optionally gzip-compressed, straight into
 * the blob store, in one streaming pass that hashes each byte once: the store's own hash is the
 * blob digest, and also the diffID when the layer is stored uncompressed; a gzip layer hashes
 * its tar on the way for the diffID. Memory use does not depend on the layer's size.
 */
export async function writeLayer(
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
  options: WriteLayerOptions,
): Promise<WrittenLayer> {
  const gzip = options.compression === 'gzip';
  const diffHash = gzip ? createHash('sha256') : undefined;
  let uncompressedSize = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of tarChunks(entries, {
      ...(diffHash ? { hash: diffHash } : {}),
      ...(options.sourceDateEpoch !== undefined ? { sourceDateEpoch: options.sourceDateEpoch } : {}),
      chunkSize: gzip ? GZIP_MEMBER : CHUNK,
      ...(options.newChunk ? { newChunk: options.newChunk } : {}),
    })) {
      uncompressedSize += chunk.length;
      yield chunk;
    }
  }
  const info = await options.blobs.put(gzip ? gzipMembers(counted(), options.gzipLevel ?? -1) : counted());
  if (!gzip && info.size !== uncompressedSize) {
    throw new Error(`blob store recorded ${info.size} bytes for a ${uncompressedSize}-byte layer`);
  }
  return {
    diffId: diffHash === undefined ? info.digest : sha256Digest(diffHash.digest('hex')),
    uncompressedSize,
    descriptor: {
      mediaType: gzip ? MediaType.ociLayerGzip : MediaType.ociLayer,
      digest: info.digest,
      size: info.size,
      ...(gzip ? { annotations: { [UNCOMPRESSED_SIZE_ANNOTATION]: String(uncompressedSize) } } : {}),
    },
  };
}

/** Layer descriptors gantry writes carry their tar size (a multi-member gzip has no single ISIZE). */
export const UNCOMPRESSED_SIZE_ANNOTATION = 'io.gantry.layer.uncompressed-size';
