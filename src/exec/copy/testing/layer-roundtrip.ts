import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { applyLayer } from '../../../image/apply-layer.ts';
import { compareNames } from '../../../image/layer-entry.ts';
import { writeLayer } from '../../../image/write-layer.ts';
import { openStore } from '../../../store/open-store.ts';
import type { CopyPlan } from '../types.ts';

/**
 * Writes the plan's entries as a gzip layer into a real store at `storeDir`, then unpacks that
 * blob onto `targetDir` with the image applier. Returns the layer's diffID and the applier's warnings.
 */
export async function writeAndApply(
  plan: CopyPlan,
  storeDir: string,
  targetDir: string,
): Promise<{ diffId: string; warnings: string[] }> {
  const store = await openStore(storeDir);
  const layer = await writeLayer(plan.entries, { blobs: store.blobs, compression: 'gzip' });
  const { warnings } = await applyLayer(store.blobs.open(layer.descriptor.digest), targetDir, {
    isRoot: process.getuid?.() === 0,
  });
  return { diffId: layer.diffId, warnings };
}

/** `path type mode uid:gid` (+ `-> target` or `= content`) for everything below `root`. */
export async function listTree(root: string, withOwner = true): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    for (const name of (await readdir(dir)).sort(compareNames)) {
      const abs = join(dir, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(abs);
      const owner = withOwner ? ` ${st.uid}:${st.gid}` : '';
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      if (st.isSymbolicLink()) out.push(`${r} symlink${owner} -> ${await readlink(abs)}`);
      else if (st.isDirectory()) {
        out.push(`${r} dir ${mode}${owner}`);
        await walk(abs, r);
      } else if (st.isFile())
        out.push(`${r} file ${mode}${owner} = ${(await readFile(abs)).toString('utf8')}`);
      else out.push(`${r} other ${mode}${owner}`);
    }
  }
  await walk(root, '');
  return out;
}
