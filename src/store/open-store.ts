import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';
import { createBlobStore } from './blob-store.ts';
import { createCacheIndex } from './cache-index.ts';
import { errnoCode, isNotFound } from './fs-helpers.ts';
import { LAYOUT_VERSION, type StoreLayout, storeLayout } from './layout.ts';
import { takeLease } from './lease.ts';
import { createRefStore } from './ref-store.ts';
import { createSnapshotStore } from './snapshot-store.ts';
import { tempPrefix } from './temp-name.ts';
import type { Store } from './types.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

/**
 * Opens the embedded store at `root`, creating its layout on first use. Several processes may
 * open and use one store at once.
 */
export async function openStore(root: string): Promise<Store> {
  const layout = storeLayout(resolve(root));
  await createLayout(layout);
  await checkVersion(layout);
  return {
    root: layout.root,
    blobs: createBlobStore(layout),
    refs: createRefStore(layout),
    snapshots: createSnapshotStore(layout),
    cache: createCacheIndex(layout),
    tmpDir: async (prefix = 'work') => mkdtemp(join(layout.tmpDir, tempPrefix(prefix))),
    lease: () => takeLease(layout),
  };
}

async function createLayout(layout: StoreLayout): Promise<void> {
  const dirs = [
    layout.blobsDir,
    layout.refsDir,
    layout.cacheDir,
    layout.snapshotsDir,
    layout.tmpDir,
    join(layout.locksDir, 'snapshots'),
    layout.leasesDir,
  ];
  try {
    for (const dir of dirs) await mkdir(dir, { recursive: true, mode: 0o755 });
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new GantryError('E_STORE_PERMISSION', `cannot create the store at ${layout.root}: ${code}`, {
        hint: 'run as a user who may write there, or set GANTRY_ROOT to a writable directory',
        cause: e,
      });
    }
    if (code === 'ENOTDIR' || code === 'EEXIST') {
      throw new GantryError(
        'E_STORE_ROOT_INVALID',
        `cannot use ${layout.root} as the store: a path in it is not a directory`,
        {
          hint: 'set GANTRY_ROOT to a directory (it is created when missing)',
          cause: e,
        },
      );
    }
    throw e;
  }
}

async function checkVersion(layout: StoreLayout): Promise<void> {
  let text: string;
  try {
    text = await readFile(layout.versionFile, 'utf8');
  } catch (e) {
    if (!isNotFound(e)) throw e;
    const data = `${JSON.stringify({ layoutVersion: LAYOUT_VERSION })}\n`;
    await writeFileAtomic({ tmpDir: layout.tmpDir, target: layout.versionFile, data });
    return;
  }
  let version: unknown;
  try {
    version = (JSON.parse(text) as { layoutVersion?: unknown }).layoutVersion;
  } catch {
    version = undefined;
  }
  if (version !== LAYOUT_VERSION) {
    throw new GantryError(
      'E_STORE_VERSION',
      `store ${layout.root} has layout version ${JSON.stringify(version ?? null)}; this gantry reads version ${LAYOUT_VERSION}`,
      { hint: 'use the gantry version that made this store, or point GANTRY_ROOT at a new directory' },
    );
  }
}
