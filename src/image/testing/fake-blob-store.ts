import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GantryError } from '../../errors/gantry-error.ts';
import { type Digest, digestHex, sha256Digest } from '../../oci/digest.ts';
import type { BlobInfo, BlobStore, ExpectedBlob } from '../../store/types.ts';

/**
 * A small file-system BlobStore for tests (blobs/sha256/<hex> under `dir`), until the real store
 * lands in src/store. No fsync, no locking.
 */
export async function fakeBlobStore(dir: string): Promise<BlobStore> {
  const blobDir = join(dir, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  const path = (d: Digest): string => join(blobDir, digestHex(d));

  async function put(
    source: Readable | AsyncIterable<Uint8Array>,
    expected?: ExpectedBlob,
  ): Promise<BlobInfo> {
    const tmp = join(dir, `tmp-${randomUUID()}`);
    const hash = createHash('sha256');
    let size = 0;
    async function* tap(src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
      for await (const chunk of src) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    }
    try {
      await pipeline(Readable.from(tap(source)), createWriteStream(tmp));
      const digest = sha256Digest(hash.digest('hex'));
      if (expected?.digest !== undefined && expected.digest !== digest) {
        throw new GantryError('E_BLOB_DIGEST_MISMATCH', `expected ${expected.digest}, got ${digest}`);
      }
      if (expected?.size !== undefined && expected.size !== size) {
        throw new GantryError('E_BLOB_SIZE_MISMATCH', `expected ${expected.size} bytes, got ${size}`);
      }
      await rename(tmp, path(digest));
      return { digest, size };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async function statBlob(d: Digest): Promise<BlobInfo | undefined> {
    try {
      return { digest: d, size: (await stat(path(d))).size };
    } catch {
      return undefined;
    }
  }

  return {
    has: async (d) => (await statBlob(d)) !== undefined,
    stat: statBlob,
    put,
    putBytes: (bytes, expected) => put(Readable.from([bytes]), expected),
    open(d) {
      const s = createReadStream(path(d));
      s.on('error', () => {});
      return s;
    },
    async readBytes(d) {
      try {
        return await readFile(path(d));
      } catch (e) {
        throw new GantryError('E_BLOB_NOT_FOUND', `blob ${d} not found`, { cause: e });
      }
    },
    path,
  };
}
