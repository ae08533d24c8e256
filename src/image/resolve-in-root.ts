import { lstat, mkdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';

const MAX_SYMLINKS = 40;

/** Splits a layer path into clean components: no '', '.', and '..' applied as in a chroot. */
export function cleanComponents(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return out;
}

export interface ResolveOptions {
  /** Create missing directories (mode 0755) instead of reporting them missing. */
  create?: boolean;
}

/**
 * Resolves `components` (all of which must be directories) to a real directory path under
 * `root`, component by component with lstat, following symlinks as if `root` were the file
 * system root: an absolute link target restarts at `root`, and '..' never climbs above it.
 * Returns undefined when a component is missing and `create` is off.
 */
export async function resolveDirInRoot(
  root: string,
  components: string[],
  options: ResolveOptions = {},
): Promise<string | undefined> {
  const queue = [...components];
  const real: string[] = [];
  let links = 0;
  while (queue.length > 0) {
    const part = queue.shift() as string;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      real.pop();
      continue;
    }
    const candidate = join(root, ...real, part);
    let st: Awaited<ReturnType<typeof lstat>> | undefined;
    try {
      st = await lstat(candidate);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (st === undefined) {
      if (options.create !== true) return undefined;
      await mkdir(candidate, { mode: 0o755 });
      real.push(part);
      continue;
    }
    if (st.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) {
        throw new GantryError(
          'E_LAYER_SYMLINK_LOOP',
          `too many symlinks resolving /${components.join('/')} in the layer`,
          {
            hint: 'the layer contains a symlink loop; rebuild the image without it',
          },
        );
      }
      const target = await readlink(candidate);
      if (target.startsWith('/')) real.length = 0;
      queue.unshift(...target.split('/'));
      continue;
    }
    if (!st.isDirectory()) {
      throw new GantryError(
        'E_LAYER_NOT_DIR',
        `/${[...real, part].join('/')} is not a directory, but the layer puts files below it`,
        {
          hint: 'the layer does not fit the layers below it; check the image was built from these parents',
        },
      );
    }
    real.push(part);
  }
  return join(root, ...real);
}
