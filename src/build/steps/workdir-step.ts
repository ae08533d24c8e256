import { lstat } from 'node:fs/promises';
import { posix } from 'node:path';
import { GantryError } from '../../errors/gantry-error.ts';
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
      // Resolve the whole path as if chrooted (a symlink, even a dangling one, is followed as
      // mkdir -p would), then create every component of the resolved path that is missing.
      const target = (await resolveInRoot(root, path)).containerPath;
      const parts = target.split('/').filter(Boolean);
      for (let i = 1; i <= parts.length; i++) {
        const p = `/${parts.slice(0, i).join('/')}`;
        const st = missing.length > 0 ? undefined : await lstat(`${root}${p}`).catch(() => undefined);
        if (st === undefined) missing.push(p);
        else if (!st.isDirectory()) {
          throw new GantryError(
            'E_WORKDIR_NOT_DIR',
            `WORKDIR ${path}: ${p} exists in the image and is not a directory`,
            {
              hint: 'choose another WORKDIR, or remove that file in an earlier step',
            },
          );
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
