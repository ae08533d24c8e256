import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { GantryError } from '../errors/gantry-error.ts';
import { type Digest, sha256Digest } from '../oci/digest.ts';
import { MediaType } from '../oci/media-types.ts';
import type { Descriptor } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { type LayerEntry, tarNameOf } from './layer-entry.ts';
import { BLOCK, encodeTarHeader, endOfArchive, padding, type TarHeader, TypeFlag } from './tar-header.ts';

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

/** The uncompressed tar bytes of `entries`, in the order given, fed to `hash` on the way. */
export async function* tarChunks(
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
  hash: Hash,
  sourceDateEpoch?: number,
): AsyncGenerator<Buffer> {
  const emit = (b: Buffer): Buffer => {
    hash.update(b);
    return b;
  };
  for await (const entry of entries) {
    yield emit(encodeTarHeader(headerFor(entry, sourceDateEpoch)));
    if (entry.type !== 'file') continue;
    for await (const chunk of fileContent(entry)) yield emit(chunk);
    const pad = padding(entry.size);
    if (pad > 0) yield emit(Buffer.alloc(pad));
  }
  yield emit(endOfArchive());
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
  const tar = Readable.from(tarChunks(entries, diffHash, options.sourceDateEpoch), { highWaterMark: 4 });
  let out: Readable = tar;
  if (options.compression === 'gzip') {
    const gzip = createGzip({ level: options.gzipLevel ?? -1, chunkSize: 64 * BLOCK });
    const tapped = new PassThrough();
    pipeline(tar, gzip, tapped, () => {});
    out = tapped;
  }
  let size = 0;
  async function* tap(src: Readable): AsyncGenerator<Buffer> {
    for await (const chunk of src) {
      blobHash.update(chunk as Buffer);
      size += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const info = await options.blobs.put(tap(out));
  const digest = sha256Digest(blobHash.digest('hex'));
  if (info.digest !== digest || info.size !== size) {
    throw new Error(
      `blob store recorded ${info.digest}/${info.size} for a layer hashed as ${digest}/${size}`,
    );
  }
  const diffId = sha256Digest(diffHash.digest('hex'));
  return {
    diffId,
    descriptor: {
      mediaType: options.compression === 'gzip' ? MediaType.ociLayerGzip : MediaType.ociLayer,
      digest,
      size,
    },
  };
}
