import { createHash } from 'node:crypto';
import { createReadStream, openSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { GantryError } from '../errors/gantry-error.ts';
import { type Digest, digestHex, parseDigest, sha256Digest } from '../oci/digest.ts';
import { isNotFound } from './fs-helpers.ts';
import type { StoreLayout } from './layout.ts';
import type { BlobInfo, BlobStore, ExpectedBlob } from './types.ts';
import { writeBlob } from './write-blob.ts';

/** The embedded BlobStore over `blobs/sha256/<hex>` files. Every digest is validated before it becomes a path. */
export function createBlobStore(layout: Pick<StoreLayout, 'blobsDir' | 'tmpDir'>): BlobStore {
  const pathOf = (digest: Digest): string =>
    join(layout.blobsDir, digestHex(parseDigest(digest, 'blob digest')));

  // A stat is a metadata lookup: synchronous is cheaper than a trip through the thread pool.
  const statBlob = async (digest: Digest): Promise<BlobInfo | undefined> => {
    const st = statSync(pathOf(digest), { throwIfNoEntry: false });
    return st === undefined ? undefined : { digest, size: st.size };
  };

  const put = (source: Readable | AsyncIterable<Uint8Array>, expected?: ExpectedBlob): Promise<BlobInfo> =>
    writeBlob({ blobsDir: layout.blobsDir, tmpDir: layout.tmpDir, source, expected });

  return {
    path: pathOf,
    stat: statBlob,
    has: async (digest) => (await statBlob(digest)) !== undefined,
    put,
    async putBytes(bytes, expected) {
      // Small blobs (manifests, configs) are often stored again unchanged: hash first, and write
      // nothing when the blob is already there with its size.
      const digest = sha256Digest(createHash('sha256').update(bytes).digest('hex'));
      const known = expected?.digest === undefined || expected.digest === digest;
      if (known && (expected?.size === undefined || expected.size === bytes.byteLength)) {
        const st = await statBlob(digest);
        if (st?.size === bytes.byteLength) return st;
      }
      return writeBlob({ blobsDir: layout.blobsDir, tmpDir: layout.tmpDir, source: [bytes], expected });
    },
    open(digest) {
      const path = pathOf(digest);
      let fd: number;
      try {
        fd = openSync(path, 'r');
      } catch (e) {
        if (isNotFound(e)) throw blobNotFound(digest, path);
        throw e;
      }
      return createReadStream(path, { fd });
    },
    async readBytes(digest) {
      const path = pathOf(digest);
      try {
        return await readFile(path);
      } catch (e) {
        if (isNotFound(e)) throw blobNotFound(digest, path);
        throw e;
      }
    },
  };
}

export function blobNotFound(digest: Digest, path: string): GantryError {
  return new GantryError('E_BLOB_NOT_FOUND', `blob ${digest} is not in the store (${path})`, {
    hint: 'pull or rebuild the image it belongs to; `gantry verify` lists references to missing blobs',
  });
}
