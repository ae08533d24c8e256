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

/**
 * What a build cache entry keeps: `blobs` and `snapshots` stay alive (prune keeps them) as long
 * as the record exists; `data` is opaque to the store (the builder's own JSON).
 */
export interface CacheRecord {
  blobs: Digest[];
  /** Chain IDs of snapshots this record keeps alive. */
  snapshots?: Digest[];
  data: unknown;
  /** RFC 3339 time the record was made. */
  createdAt: string;
}

/** Build cache index: cache key (lowercase hex) → record. Every set is atomic. */
export interface CacheIndex {
  get(key: string): Promise<CacheRecord | undefined>;
  set(key: string, record: CacheRecord): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** All keys, sorted. */
  keys(): Promise<string[]>;
}

/** Unpacked layer stacks, one directory per chain ID, usable as overlay lower dirs. */
export interface SnapshotStore {
  /** Where the snapshot of `chainId` lives (whether or not it exists yet). */
  path(chainId: Digest): string;
  has(chainId: Digest): Promise<boolean>;
  /**
   * Returns the snapshot's path, creating it first when absent: `fill` populates an empty temp
   * directory, which is renamed into place. Concurrent preparers of one chain ID (in any
   * process) run `fill` once; a failed `fill` leaves nothing behind.
   */
  prepare(chainId: Digest, fill: (dir: string) => Promise<void>): Promise<string>;
  /** Chain IDs of all snapshots present, sorted. */
  list(): Promise<Digest[]>;
}

/** A build's claim on the store: prune waits while any live process holds one. */
export interface StoreLease {
  /** Idempotent. */
  release(): Promise<void>;
}

/** The embedded store (`openStore`). */
export interface Store {
  /** Absolute path of the store's root directory. */
  readonly root: string;
  readonly blobs: BlobStore;
  readonly refs: RefStore;
  readonly snapshots: SnapshotStore;
  readonly cache: CacheIndex;
  /**
   * Creates a fresh directory under the store's `tmp/` (same file system as blobs and
   * snapshots) for the caller to use and remove. Prune removes it only once its creator has
   * exited and it is older than an hour.
   */
  tmpDir(prefix?: string): Promise<string>;
  /**
   * Takes a lease: hold one from the first blob/snapshot a build writes until its refs and
   * cache records are set, so that a concurrent prune cannot remove what is not yet referenced.
   */
  lease(): Promise<StoreLease>;
}

/** One thing `verifyStore` found wrong. */
export interface StoreProblem {
  kind:
    | 'blob-corrupt'
    | 'stray-file'
    | 'ref-corrupt'
    | 'cache-corrupt'
    | 'missing-blob'
    | 'size-mismatch'
    | 'bad-manifest'
    | 'bad-config';
  /** The file at fault (absolute). */
  path: string;
  message: string;
}
