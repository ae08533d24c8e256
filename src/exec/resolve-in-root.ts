import { chmod, chown, lstat, mkdir, readlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { GantryError } from '../errors/index.ts';

/** How many symlinks one resolution may follow (Linux's MAXSYMLINKS is 40; continuity allows 255). */
const MAX_SYMLINKS = 255;

export interface ResolvedPath {
  /** Absolute path as seen inside the root, symlinks resolved, never above `/`. */
  containerPath: string;
  /** The same path on the host: `root` + `containerPath`. */
  hostPath: string;
}

function splitPath(p: string): string[] {
  return p.split('/').filter((c) => c !== '' && c !== '.');
}

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e
    ? String((e as { code: unknown }).code)
    : undefined;
}

/**
 * Resolves `p` inside `root` the way a chroot would see it, without ever leaving `root`:
 * `..` stops at the root, absolute symlink targets restart at the root, relative ones at the
 * link's directory. Components that do not exist are kept as written (cleaned lexically).
 * The root is untrusted (an image's file system): nothing outside it is ever looked at.
 * Callers use it while nothing else changes the tree (before a container starts).
 */
export async function resolveInRoot(root: string, p: string): Promise<ResolvedPath> {
  const done: string[] = [];
  let todo = splitPath(p);
  let links = 0;
  while (todo.length > 0) {
    const [name, ...rest] = todo as [string, ...string[]];
    todo = rest;
    if (name === '..') {
      done.pop();
      continue;
    }
    const candidate = join(root, ...done, name);
    let isLink = false;
    try {
      isLink = (await lstat(candidate)).isSymbolicLink();
    } catch (e) {
      const code = errnoOf(e);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      // The rest does not exist: keep it lexically, still clamped at the root.
      done.push(name);
      for (const c of todo) {
        if (c === '..') done.pop();
        else done.push(c);
      }
      todo = [];
      break;
    }
    if (!isLink) {
      done.push(name);
      continue;
    }
    links++;
    if (links > MAX_SYMLINKS) {
      throw new GantryError(
        'E_EXEC_SYMLINK_LOOP',
        `too many levels of symbolic links resolving ${p} in ${root}`,
        {
          hint: 'The image contains a symlink loop on this path; fix the link or use another path.',
        },
      );
    }
    const target = await readlink(candidate);
    if (target.startsWith('/')) done.length = 0;
    todo = [...splitPath(target), ...todo];
  }
  const containerPath = `/${done.join('/')}`;
  return { containerPath, hostPath: done.length === 0 ? root : join(root, ...done) };
}

export interface MkdirInRootOptions {
  mode?: number;
  uid?: number;
  gid?: number;
}

/**
 * `mkdir -p` of `p` inside `root` (symlinks resolved inside the root), giving the directories it
 * creates `mode` (default 0o755) and `uid:gid` (default 0:0), as BuildKit creates a missing
 * working directory. Returns the resolved path.
 */
export async function mkdirAllInRoot(
  root: string,
  p: string,
  opts: MkdirInRootOptions = {},
): Promise<ResolvedPath> {
  const resolved = await resolveInRoot(root, p);
  const parts = splitPath(resolved.containerPath);
  for (let i = 1; i <= parts.length; i++) {
    const host = join(root, ...parts.slice(0, i));
    let st: Awaited<ReturnType<typeof lstat>> | undefined;
    try {
      st = await lstat(host);
    } catch (e) {
      if (errnoOf(e) !== 'ENOENT') throw e;
    }
    if (st === undefined) {
      await mkdir(host);
      await chmod(host, opts.mode ?? 0o755);
      await chown(host, opts.uid ?? 0, opts.gid ?? 0);
      continue;
    }
    if (st.isSymbolicLink()) {
      // Only possible if the tree changed under us since resolving: start over from here.
      return mkdirAllInRoot(root, posix.join('/', ...parts.slice(0, i), ...parts.slice(i)), opts);
    }
    if (!st.isDirectory()) {
      throw new GantryError(
        'E_EXEC_NOT_A_DIRECTORY',
        `cannot create directory ${p}: /${parts.slice(0, i).join('/')} exists and is not a directory`,
        { hint: 'Pick a WORKDIR or mount target whose parents are directories in the image.' },
      );
    }
  }
  return resolved;
}
