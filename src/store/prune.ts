import type { Stats } from 'node:fs';
import { lstat, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GantryError, isGantryError } from '../errors/gantry-error.ts';
import { type Digest, sha256Digest } from '../oci/digest.ts';
import { isNotFound, unlinkIfExists } from './fs-helpers.ts';
import { storeLayout } from './layout.ts';
import { type LeaseHolder, liveLeases } from './lease.ts';
import { mountPointsUnder } from './mount-points.ts';
import { isProcessAlive } from './process-alive.ts';
import { removeTree } from './remove-tree.ts';
import { tempName, tempOwnerPid } from './temp-name.ts';
import type { Store } from './types.ts';
import { type WalkRoot, walkImages } from './walk-images.ts';
import { withLock } from './with-lock.ts';

export interface PruneOptions {
  /** The time temp entries' ages are measured against. Default: the current time. */
  now?: Date;
  /** Temp entries younger than this are kept even when their creator has exited. Default 1 h. */
  tempGraceMs?: number;
  /** How long to wait for builds holding leases before failing with E_STORE_BUSY. Default 0. */
  waitMs?: number;
}

export interface PruneResult {
  removedBlobs: number;
  removedSnapshots: number;
  /** Temp files and dirs (of exited processes, older than the grace period) removed. */
  removedTemp: number;
  /** Bytes of regular files removed (blobs, snapshot contents, temp entries). */
  freedBytes: number;
  /** What was left in place and why (e.g. a temp dir with a file system still mounted inside). */
  warnings: string[];
}

/**
 * Removes what nothing reaches. Kept: blobs reachable from refs (through indexes, manifests,
 * configs, layers) and from cache records' `blobs` (followed the same way when they are
 * manifests); snapshots of every layer prefix of a kept image and those cache records name.
 * Holds the store's gc lock throughout and first waits until no live process holds a lease.
 * A ref or cache file that cannot be read stops the prune (E_STORE_CORRUPT) rather than
 * risk removing what it protects.
 */
export async function prune(store: Store, options: PruneOptions = {}): Promise<PruneResult> {
  const layout = storeLayout(store.root);
  return withLock(layout.gcLock, async () => {
    await waitForLeases(layout, options.waitMs ?? 0);
    const roots: WalkRoot[] = [];
    for (const { name, descriptor } of await store.refs.list()) {
      roots.push({
        digest: descriptor.digest,
        mediaType: descriptor.mediaType,
        size: descriptor.size,
        from: `ref ${name}`,
      });
    }
    const keepSnapshots = new Set<Digest>();
    for (const key of await store.cache.keys()) {
      const record = await store.cache.get(key);
      if (record === undefined) continue;
      for (const digest of record.blobs) roots.push({ digest, from: `cache record ${key}` });
      for (const id of record.snapshots ?? []) keepSnapshots.add(id);
    }
    const reached = await walkImages(store.blobs, roots);
    for (const id of reached.chainIds) keepSnapshots.add(id);

    const result: PruneResult = {
      removedBlobs: 0,
      removedSnapshots: 0,
      removedTemp: 0,
      freedBytes: 0,
      warnings: [],
    };
    /** Removes a tree, or, when something is mounted inside it, leaves it and says so. */
    const remove = async (path: string): Promise<boolean> => {
      try {
        result.freedBytes += await removeTree(path);
        return true;
      } catch (e) {
        if (!isGantryError(e, 'E_STORE_MOUNTED')) throw e;
        result.warnings.push(`${e.message}; ${e.hint ?? ''}`);
        return false;
      }
    };
    for (const name of await readdir(layout.blobsDir)) {
      if (!/^[a-f0-9]{64}$/.test(name) || reached.blobs.has(sha256Digest(name))) continue;
      const path = join(layout.blobsDir, name);
      const size = await sizeOf(path);
      if (size !== undefined && (await unlinkIfExists(path))) {
        result.removedBlobs++;
        result.freedBytes += size;
      }
    }
    for (const id of await store.snapshots.list()) {
      if (keepSnapshots.has(id)) continue;
      // Move it out of snapshots/ first (atomic): a prune killed halfway must not leave a
      // half-removed tree that still looks like a complete snapshot.
      const path = store.snapshots.path(id);
      const doomed = join(layout.tmpDir, tempName('removing'));
      if ((await mountPointsUnder(path)).length > 0) {
        await remove(path); // refuses, and records the warning
        continue;
      }
      await rename(path, doomed);
      result.removedSnapshots++;
      await remove(doomed);
    }
    const now = (options.now ?? new Date()).getTime();
    const grace = options.tempGraceMs ?? 3_600_000;
    for (const name of await readdir(layout.tmpDir)) {
      const path = join(layout.tmpDir, name);
      const st = await lstatOrUndefined(path);
      if (st === undefined || now - st.mtimeMs < grace) continue;
      const owner = tempOwnerPid(name);
      if (owner !== undefined && isProcessAlive(owner)) continue;
      if (await remove(path)) result.removedTemp++;
    }
    return result;
  });
}

async function waitForLeases(layout: ReturnType<typeof storeLayout>, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  let pause = 50;
  for (;;) {
    const live = await liveLeases(layout);
    const first: LeaseHolder | undefined = live[0];
    if (first === undefined) return;
    if (Date.now() >= deadline) {
      throw new GantryError(
        'E_STORE_BUSY',
        `cannot prune ${layout.root}: ${live.length} build(s) are using the store (pid ${first.pid} on ${first.host})`,
        { hint: 'wait for running builds to finish and prune again' },
      );
    }
    await sleep(pause);
    pause = Math.min(pause * 2, 1000);
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  return (await lstatOrUndefined(path))?.size;
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}
