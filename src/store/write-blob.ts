import { constants } from 'node:fs';
import { type FileHandle, open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';
import { digestHex, parseDigest, sha256Digest } from '../oci/digest.ts';
import { DIRECT_IO_ALIGN, isDirectAligned, recycleChunk } from './chunk-pool.ts';
import { fsyncDir, isNotFound, unlinkIfExists } from './fs-helpers.ts';
import { streamHash } from './stream-hash.ts';
import { tempName } from './temp-name.ts';
import type { BlobInfo, ExpectedBlob } from './types.ts';

export type BlobSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;

export interface WriteBlobOptions {
  /** `blobs/sha256`. */
  blobsDir: string;
  /** The store's `tmp/`, on the same file system as `blobsDir`. */
  tmpDir: string;
  source: BlobSource;
  expected?: ExpectedBlob;
}

/**
 * Streams `source` into a temp file, hashing on the way, fsyncs it, checks the expected size
 * and digest, and renames it to `blobs/sha256/<hex>` (or drops it when that already exists).
 * On any failure the temp file is removed and no blob becomes visible. Memory use does not
 * depend on the blob's size; a source longer than the expected size is cut off early.
 */
export async function writeBlob({
  blobsDir,
  tmpDir,
  source,
  expected = {},
}: WriteBlobOptions): Promise<BlobInfo> {
  const expectedDigest =
    expected.digest === undefined ? undefined : parseDigest(expected.digest, 'expected blob digest');
  const expectedSize = expected.size;
  if (expectedSize !== undefined && !(Number.isSafeInteger(expectedSize) && expectedSize >= 0)) {
    throw new Error(`expected blob size must be a non-negative integer, got ${expectedSize}`);
  }
  const tmp = join(tmpDir, tempName('blob'));
  const fh = await fsStep(tmp, () => open(tmp, 'wx', 0o444));
  const hash = streamHash();
  const writeAt = chunkWriter(tmp, fh);
  let size = 0;
  // Writes go to the thread pool with their file offsets, a few at once, while the source
  // produces the next chunks (and a large blob is hashed on a helper thread): the copy into the
  // page cache overlaps with the work of making the bytes. A chunk must not be changed by the
  // source once yielded.
  const inflight = new Set<Promise<void>>();
  let failed: unknown;
  let early: Promise<void> | undefined;
  let flushedTo = 0;
  try {
    try {
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        const at = size;
        size += bytes.byteLength;
        if (expectedSize !== undefined && size > expectedSize) {
          throw sizeMismatch(expectedDigest, expectedSize, `more than ${expectedSize}`);
        }
        // A pooled chunk goes back once both the write and the hash are done with it.
        let users = 2;
        const release = (): void => {
          if (--users === 0) recycleChunk(bytes);
        };
        const p: Promise<void> = fsStep(tmp, () => writeAt.write(bytes, at)).then(
          () => {
            inflight.delete(p);
            release();
          },
          (e) => {
            failed ??= e;
            inflight.delete(p);
          },
        );
        inflight.add(p);
        await hash.update(bytes, release);
        if (size - flushedTo >= FLUSH_EVERY && early === undefined) {
          // Start writing back what is written so far, so the final fsync has little left.
          // A failure here shows again in the final fsync.
          flushedTo = size;
          const done = (): void => {
            early = undefined;
          };
          early = Promise.all([...inflight])
            .then(() => fh.datasync())
            .then(done, done);
        }
        if (inflight.size >= WRITES_IN_FLIGHT) await Promise.race(inflight);
        if (failed !== undefined) throw failed;
      }
      await Promise.all(inflight);
      if (failed !== undefined) throw failed;
      await early;
      await fsStep(tmp, () => fh.sync());
    } catch (e) {
      hash.abort();
      throw e;
    } finally {
      await Promise.all(inflight); // never rejects: each write records its failure in `failed`
      await early;
      await writeAt.close();
      await fh.close();
    }
    const digest = sha256Digest(await hash.digest());
    if (expectedSize !== undefined && size !== expectedSize) {
      throw sizeMismatch(expectedDigest, expectedSize, String(size));
    }
    if (expectedDigest !== undefined && digest !== expectedDigest) {
      throw new GantryError(
        'E_BLOB_DIGEST_MISMATCH',
        `blob digest mismatch: expected ${expectedDigest}, got ${digest} (${size} bytes)`,
        {
          hint: 'the source sent other content than its descriptor names; retry, and check the registry or file it came from',
        },
      );
    }
    const target = join(blobsDir, digestHex(digest));
    if (await exists(target)) {
      await unlinkIfExists(tmp);
    } else {
      await fsStep(tmp, () => rename(tmp, target));
      await fsyncDir(blobsDir);
    }
    return { digest, size };
  } catch (e) {
    await unlinkIfExists(tmp);
    throw e;
  }
}

/** Smaller chunks (a small layer is one) are written through the page cache: a direct write waits for the device. */
const DIRECT_MIN = 256 << 10;
/** Chunk writes queued on the thread pool at once (libuv has four threads by default). */
const WRITES_IN_FLIGHT = 3;
/** Bytes after which written data is pushed to disk in the background. */
const FLUSH_EVERY = 64 << 20;

/**
 * Writes chunks at their offsets: large page-aligned pooled chunks at aligned offsets through a second
 * descriptor opened with `O_DIRECT` (no page-cache copy; see chunk-pool.ts), anything else (and
 * everything where the file system refuses direct I/O) through `fh`. A direct write never
 * shares a page with a buffered one: once a chunk ends off the alignment, all later offsets are
 * off it too.
 */
function chunkWriter(
  tmp: string,
  fh: FileHandle,
): { write(bytes: Uint8Array, at: number): Promise<void>; close(): Promise<void> } {
  let direct: Promise<FileHandle | undefined> | undefined;
  let refused = false;
  return {
    async write(bytes, at) {
      if (
        !refused &&
        bytes.byteLength >= DIRECT_MIN &&
        at % DIRECT_IO_ALIGN === 0 &&
        isDirectAligned(bytes)
      ) {
        direct ??= open(tmp, constants.O_WRONLY | constants.O_DIRECT).catch(() => undefined);
        const dfh = await direct;
        if (dfh !== undefined) {
          try {
            return await writeAllAt(dfh, bytes, at);
          } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'EINVAL') throw e;
            refused = true; // the file system takes no direct writes after all: write it below
          }
        } else {
          refused = true;
        }
      }
      return writeAllAt(fh, bytes, at);
    },
    async close() {
      await (await direct)?.close();
    },
  };
}

async function writeAllAt(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, offset, bytes.byteLength - offset, position + offset);
    offset += bytesWritten;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

function sizeMismatch(digest: string | undefined, expected: number, got: string): GantryError {
  const what = digest === undefined ? 'blob' : `blob ${digest}`;
  return new GantryError('E_BLOB_SIZE_MISMATCH', `${what}: expected ${expected} bytes, got ${got}`, {
    hint: 'the source was truncated or is not the blob its descriptor names; retry, and check the registry or file it came from',
  });
}

/** Runs a file-system step of the write; its failures (disk full, read-only, ...) become E_STORE_WRITE. */
async function fsStep<T>(tmp: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    throw new GantryError('E_STORE_WRITE', `cannot write blob file ${tmp}: ${(e as Error).message}`, {
      hint: 'check free space and permissions of the store directory (GANTRY_ROOT)',
      cause: e,
    });
  }
}
