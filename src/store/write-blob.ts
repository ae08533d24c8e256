import { createHash } from 'node:crypto';
import { type FileHandle, open, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';
import { digestHex, parseDigest, sha256Digest } from '../oci/digest.ts';
import { fsyncDir, isNotFound, unlinkIfExists } from './fs-helpers.ts';
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
  const hash = createHash('sha256');
  let size = 0;
  try {
    try {
      for await (const chunk of source) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += bytes.byteLength;
        if (expectedSize !== undefined && size > expectedSize) {
          throw sizeMismatch(expectedDigest, expectedSize, `more than ${expectedSize}`);
        }
        hash.update(bytes);
        await fsStep(tmp, () => writeAll(fh, bytes));
      }
      await fsStep(tmp, () => fh.sync());
    } finally {
      await fh.close();
    }
    const digest = sha256Digest(hash.digest('hex'));
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

async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.byteLength) {
    const { bytesWritten } = await fh.write(bytes, offset, bytes.byteLength - offset);
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
