import type { Readable } from 'node:stream';
import type { Digest } from '../oci/digest.ts';
import type { Descriptor } from '../oci/types.ts';

/**
 * Contracts other modules code against. The embedded store implements them; tests may use
 * in-memory fakes.
 */

export interface BlobInfo {
  digest: Digest;
  size: number;
}

export interface ExpectedBlob {
  /** When given, the written bytes must hash to this digest, else E_BLOB_DIGEST_MISMATCH and nothing is kept. */
  digest?: Digest;
  /** When given, the written byte count must equal this, else E_BLOB_SIZE_MISMATCH and nothing is kept. */
  size?: number;
}

/** Content-addressed blobs: written to a temp file, hashed on the way, fsync'd, verified, renamed. */
export interface BlobStore {
  has(digest: Digest): Promise<boolean>;
  /** Size of a stored blob, or undefined when absent. */
  stat(digest: Digest): Promise<BlobInfo | undefined>;
  /** Streams `source` into the store. Nothing becomes visible unless it verifies. */
  put(source: Readable | AsyncIterable<Uint8Array>, expected?: ExpectedBlob): Promise<BlobInfo>;
  putBytes(bytes: Uint8Array, expected?: ExpectedBlob): Promise<BlobInfo>;
  /** A read stream of a stored blob; throws GantryError E_BLOB_NOT_FOUND when absent. */
  open(digest: Digest): Readable;
  readBytes(digest: Digest): Promise<Buffer>;
  /** The blob's file path (for copy_file_range / hardlinks by exporters). */
  path(digest: Digest): string;
}

/** Named references (`docker.io/library/app:1`) to manifests or indexes held in the BlobStore. */
export interface RefStore {
  get(name: string): Promise<Descriptor | undefined>;
  /** Atomically points `name` at `descriptor`. */
  set(name: string, descriptor: Descriptor): Promise<void>;
  delete(name: string): Promise<boolean>;
  list(): Promise<{ name: string; descriptor: Descriptor }[]>;
}
