import { lstat, readdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { resolveInRoot } from './resolve-in-root.ts';

/** Where runc (or gantry) mounts something in every container: the places it may create stubs. */
export const DEFAULT_MOUNT_TARGETS: readonly string[] = [
  '/proc',
  '/dev',
  '/sys',
  '/etc/hosts',
  '/etc/resolv.conf',
];

function errnoOf(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e
    ? String((e as { code: unknown }).code)
    : undefined;
}

async function lstatOrUndefined(p: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(p);
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** An existing directory a stub is created in, as it was before the step. */
export interface StubParent {
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

export interface MountStubs {
  /** Container paths that did not exist before the step: runc creates them to mount on. */
  stubs: string[];
  /** The existing directories the top-most stubs are created in (their mtime changes). */
  parents: StubParent[];
}

/**
 * Before a step runs: the mount targets (resolved inside the rootfs) that do not exist yet, with
 * their missing parents, and the existing directories they will be created in. runc creates the
 * missing ones as empty files or directories to mount on: the mount stubs (BuildKit's
 * MountStubsCleaner looks for the same).
 */
export async function findMountStubs(rootfs: string, targets: readonly string[]): Promise<MountStubs> {
  const stubs = new Set<string>();
  const parents = new Map<string, StubParent>();
  for (const t of targets) {
    const target = (await resolveInRoot(rootfs, t)).containerPath;
    let p = target;
    while (p !== '/' && !stubs.has(p)) {
      const st = await lstatOrUndefined(join(rootfs, p));
      if (st !== undefined) {
        if (p !== target && st.isDirectory()) {
          parents.set(p, {
            path: p,
            mode: Number(st.mode) & 0o7777,
            uid: Number(st.uid),
            gid: Number(st.gid),
          });
        }
        break;
      }
      stubs.add(p);
      p = posix.dirname(p);
    }
  }
  return {
    stubs: [...stubs].sort(),
    parents: [...parents.values()].sort((a, b) => (a.path < b.path ? -1 : 1)),
  };
}

function depth(p: string): number {
  return p.split('/').length;
}

/**
 * After a step ran: which paths the layer must leave out, relative to the upper dir ('proc',
 * 'etc/hosts'), the form the layer writer's `exclude` takes.
 *
 * The rule:
 * 1. A stub (did not exist before the step) that is, in the upper dir, an empty regular file or
 *    a directory holding nothing but excluded stubs, is left out. A stub the step filled or
 *    replaced on purpose stays: it is the step's change.
 * 2. An existing directory that only got stubs (overlayfs copied it up to create them): left out
 *    when it holds nothing but excluded stubs and kept its mode and owner, since its only change
 *    is the mtime the stub gave it. Any other change of the step keeps it.
 * 3. A mount target that existed before the step is never touched by runc: whatever the upper
 *    dir holds for it is the step's own change and stays.
 */
export async function layerExcludes(upperDir: string, found: MountStubs): Promise<string[]> {
  const excluded = new Set<string>();
  const parentByPath = new Map(found.parents.map((p) => [p.path, p]));
  const all = [...new Set([...found.stubs, ...parentByPath.keys()])];
  // Deepest first, so a directory sees whether its children were excluded.
  all.sort((a, b) => depth(b) - depth(a) || (a < b ? -1 : 1));
  for (const p of all) {
    const st = await lstatOrUndefined(join(upperDir, p));
    if (st === undefined) continue;
    const parent = parentByPath.get(p);
    if (parent === undefined && st.isFile() && st.size === 0) {
      excluded.add(p);
      continue;
    }
    if (!st.isDirectory()) continue;
    const names = await readdir(join(upperDir, p));
    if (!names.every((n) => excluded.has(posix.join(p, n)))) continue;
    if (parent !== undefined) {
      const same =
        (Number(st.mode) & 0o7777) === parent.mode &&
        Number(st.uid) === parent.uid &&
        Number(st.gid) === parent.gid;
      if (!same) continue;
    }
    excluded.add(p);
  }
  return [...excluded].map((p) => p.slice(1)).sort();
}

/** An `exclude` predicate for the layer writer: the paths and everything below them. */
export function excludeFilter(excludes: readonly string[]): (relPath: string) => boolean {
  const set = new Set(excludes);
  return (rel) => {
    for (let p = rel; p !== '' && p !== '.'; p = posix.dirname(p)) {
      if (set.has(p)) return true;
      if (!p.includes('/')) break;
    }
    return false;
  };
}
