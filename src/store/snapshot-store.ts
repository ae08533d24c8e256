import { chmod, mkdtemp, readdir, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Digest, digestHex, parseDigest, sha256Digest } from '../oci/digest.ts';
import { errnoCode, fsyncDir, isNotFound } from './fs-helpers.ts';
import type { StoreLayout } from './layout.ts';
import { removeTree } from './remove-tree.ts';
import { tempPrefix } from './temp-name.ts';
import type { SnapshotStore } from './types.ts';
import { withLock } from './with-lock.ts';

export interface SnapshotStoreOptions {
  /** How long a preparer waits for another one filling the same chain ID. Default 1 h. */
  lockTimeoutMs?: number;
}

/** Snapshots as `snapshots/<chain ID hex>/` directories; present means complete. */
export function createSnapshotStore(
  layout: Pick<StoreLayout, 'snapshotsDir' | 'tmpDir' | 'locksDir'>,
  options: SnapshotStoreOptions = {},
): SnapshotStore {
  const pathOf = (chainId: Digest): string =>
    join(layout.snapshotsDir, digestHex(parseDigest(chainId, 'snapshot chain ID')));

  const has = async (chainId: Digest): Promise<boolean> => {
    try {
      return (await stat(pathOf(chainId))).isDirectory();
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  };

  return {
    path: pathOf,
    has,
    async prepare(chainId, fill) {
      const final = pathOf(chainId);
      if (await has(chainId)) return final;
      const lock = join(layout.locksDir, 'snapshots', `${digestHex(chainId)}.lock`);
      return withLock(
        lock,
        async () => {
          if (await has(chainId)) return final; // another preparer finished while we waited
          const dir = await mkdtemp(join(layout.tmpDir, tempPrefix('snapshot')));
          try {
            await chmod(dir, 0o755);
            await fill(dir);
            await rename(dir, final);
          } catch (e) {
            // The fill's error is the one to report; if cleanup fails too (say, the fill left a
            // mount inside), the temp dir stays for prune, which warns about it.
            await removeTree(dir).catch(() => undefined);
            // Someone created it without the lock (should not happen); theirs is as good as ours.
            const code = errnoCode(e);
            if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await has(chainId))) return final;
            throw e;
          }
          await fsyncDir(layout.snapshotsDir);
          return final;
        },
        { timeoutMs: options.lockTimeoutMs ?? 3_600_000 },
      );
    },
    async list() {
      const names = await readdir(layout.snapshotsDir);
      return names
        .filter((n) => /^[a-f0-9]{64}$/.test(n))
        .sort()
        .map((n) => sha256Digest(n));
    },
  };
}
