import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import { resolveInRoot } from '../../exec/resolve-in-root.ts';
import { resolveUser } from '../../exec/resolve-user.ts';
import type { LayerEntry } from '../../image/layer-entry.ts';
import type { BuildContext } from '../build-context.ts';
import type { BuiltLayer } from '../types.ts';
import { writeEntries } from './commit-upper.ts';

/**
 * WORKDIR creates its directory (and missing parents, 0755, owned by the stage's USER as
 * BuildKit's mkdir does). An existing directory makes no layer.
 */
export async function executeWorkdir(
  ctx: BuildContext,
  layers: readonly BuiltLayer[],
  path: string,
  user: string,
): Promise<BuiltLayer | undefined> {
  return ctx.rootfs.withView(layers, async (root) => {
    const missing: string[] = [];
    let owner = { uid: 0, gid: 0 };
    if (root !== undefined) {
      if (user !== '') {
        const u = await resolveUser(root, user);
        owner = { uid: u.uid, gid: u.gid };
      }
      // Walk down: the first component that does not exist (as resolved inside the root) and all below it.
      const parts = path.split('/').filter(Boolean);
      for (let i = 1; i <= parts.length; i++) {
        const resolved = await resolveInRoot(root, `/${parts.slice(0, i).join('/')}`);
        const st = await lstat(resolved.hostPath).catch(() => undefined);
        if (st === undefined) {
          // Create below where the existing part of the path really is (it may go through a symlink).
          const parent = (await resolveInRoot(root, `/${parts.slice(0, i - 1).join('/')}`)).containerPath;
          let p = parent;
          for (const name of parts.slice(i - 1)) {
            p = posix.join(p, name);
            missing.push(p);
          }
          break;
        }
      }
    } else {
      const parts = path.split('/').filter(Boolean);
      for (let j = 1; j <= parts.length; j++) missing.push(`/${parts.slice(0, j).join('/')}`);
    }
    if (missing.length === 0) return undefined;
    const mtime = ctx.opts.sourceDateEpoch ?? Math.floor(Date.now() / 1000);
    const entries: LayerEntry[] = missing.map((p) => ({
      path: posix.relative('/', p),
      type: 'dir',
      mode: 0o755,
      uid: owner.uid,
      gid: owner.gid,
      mtime,
      size: 0,
    }));
    return writeEntries(ctx, entries);
  });
}
