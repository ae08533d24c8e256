import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GantryError } from '../../errors/gantry-error.ts';
import { type Digest, digestHex, sha256Digest } from '../../oci/digest.ts';
import type { Descriptor } from '../../oci/types.ts';
import type { BlobInfo, BlobStore, ExpectedBlob, RefStore } from '../../store/types.ts';

/**
 * A small file-system BlobStore for registry tests until the real store exists: temp file,
 * hash on the way, verify, rename. `tempFiles()` lets tests check nothing half-written survives.
 */
export function fakeBlobStore(
  root: string,
): BlobStore & { tempFiles(): Promise<string[]>; digests(): Promise<Digest[]> } {
  const blobDir = join(root, 'blobs', 'sha256');
  const tmpDir = join(root, 'tmp');
  const path = (d: Digest): string => join(blobDir, digestHex(d));
  const ready = Promise.all([mkdir(blobDir, { recursive: true }), mkdir(tmpDir, { recursive: true })]);

  async function put(
    source: Readable | AsyncIterable<Uint8Array>,
    expected: ExpectedBlob = {},
  ): Promise<BlobInfo> {
    await ready;
    const tmp = join(tmpDir, randomBytes(8).toString('hex'));
    const hash = createHash('sha256');
    let size = 0;
    const out = createWriteStream(tmp);
    try {
      await pipeline(
        source,
        async function* (src: AsyncIterable<Uint8Array>) {
          for await (const c of src) {
            hash.update(c);
            size += c.length;
            yield c;
          }
        },
        out,
      );
      const digest = sha256Digest(hash.digest('hex'));
      if (expected.size !== undefined && expected.size !== size) {
        throw new GantryError('E_BLOB_SIZE_MISMATCH', `blob is ${size} bytes, expected ${expected.size}`);
      }
      if (expected.digest !== undefined && expected.digest !== digest) {
        throw new GantryError(
          'E_BLOB_DIGEST_MISMATCH',
          `blob hashes to ${digest}, expected ${expected.digest}`,
        );
      }
      await rename(tmp, path(digest));
      return { digest, size };
    } catch (e) {
      // The stream may still be opening the file when the source fails: remove it once closed.
      if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()));
      await rm(tmp, { force: true });
      throw e;
    }
  }

  const store = {
    async has(d: Digest) {
      return (await store.stat(d)) !== undefined;
    },
    async stat(d: Digest) {
      try {
        return { digest: d, size: (await stat(path(d))).size };
      } catch {
        return undefined;
      }
    },
    put,
    putBytes: (bytes: Uint8Array, expected?: ExpectedBlob) =>
      put(
        (async function* () {
          yield bytes;
        })(),
        expected,
      ),
    open(d: Digest): Readable {
      const s = createReadStream(path(d));
      s.on('error', () => {});
      return s;
    },
    async readBytes(d: Digest) {
      try {
        return await readFile(path(d));
      } catch {
        throw new GantryError('E_BLOB_NOT_FOUND', `blob ${d} not found`);
      }
    },
    path,
    async tempFiles() {
      await ready;
      return readdir(tmpDir);
    },
    async digests() {
      await ready;
      return (await readdir(blobDir)).map((h) => sha256Digest(h));
    },
  };
  return store;
}

export function memoryRefStore(): RefStore {
  const m = new Map<string, Descriptor>();
  return {
    get: async (n) => m.get(n),
    set: async (n, d) => {
      m.set(n, d);
    },
    delete: async (n) => m.delete(n),
    list: async () => [...m].map(([name, descriptor]) => ({ name, descriptor })),
  };
}
