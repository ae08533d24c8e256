import { join } from 'node:path';

/** Where everything lives inside a store root. One place, so no module guesses a path. */
export interface StoreLayout {
  root: string;
  /** `blobs/sha256/<hex>`: content-addressed blobs. */
  blobsDir: string;
  /** `refs/<sha256 of name>.json`: one file per reference. */
  refsDir: string;
  /** `cache/<key>.json`: one file per cache record. */
  cacheDir: string;
  /** `snapshots/<chain ID hex>/`: unpacked layer stacks. */
  snapshotsDir: string;
  /** `tmp/`: temp files and work dirs, on the same file system as the rest. */
  tmpDir: string;
  /** `locks/`: lock files (gc.lock, snapshots/<hex>.lock). */
  locksDir: string;
  /** `leases/`: one file per live build using the store. */
  leasesDir: string;
  /** The store-wide lock prune holds while it runs. */
  gcLock: string;
  /** `layout.json`: the on-disk layout version. */
  versionFile: string;
}

export const LAYOUT_VERSION = 1;

export function storeLayout(root: string): StoreLayout {
  const locksDir = join(root, 'locks');
  return {
    root,
    blobsDir: join(root, 'blobs', 'sha256'),
    refsDir: join(root, 'refs'),
    cacheDir: join(root, 'cache'),
    snapshotsDir: join(root, 'snapshots'),
    tmpDir: join(root, 'tmp'),
    locksDir,
    leasesDir: join(root, 'leases'),
    gcLock: join(locksDir, 'gc.lock'),
    versionFile: join(root, 'layout.json'),
  };
}
