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

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw e;
  }
}

/**
 * Before a step runs: the mount targets (resolved inside the rootfs) that do not exist yet, and
 * their missing parents. runc creates them as empty files or directories to mount on; these are
 * the mount stubs (BuildKit's MountStubsCleaner looks for the same).
 */
export async function findMountStubs(rootfs: string, targets: readonly string[]): Promise<string[]> {
  const stubs = new Set<string>();
  for (const t of targets) {
    let p = (await resolveInRoot(rootfs, t)).containerPath;
    while (p !== '/' && !stubs.has(p) && !(await exists(join(rootfs, p)))) {
      stubs.add(p);
      p = posix.dirname(p);
    }
  }
  return [...stubs].sort();
}

/**
 * After a step ran: which stubs the layer must leave out, as paths relative to the upper dir
 * ('proc', 'etc/hosts'), the form the layer writer's `exclude` takes.
 *
 * The rule: a path that did not exist before the step and is now, in the upper dir, an empty
 * regular file or a directory holding nothing but other excluded stubs, is a mount stub and is
 * left out. Anything else stays: a stub the step filled or replaced on purpose (e.g. a file
 * written at a mount target after moving its parent) is the step's change. A mount target that
 * existed before the step is never touched by runc, so whatever the upper dir holds for it is
 * the step's own change and stays too.
 */
export async function layerExcludes(upperDir: string, stubs: readonly string[]): Promise<string[]> {
  const candidates = new Set(stubs);
  const excluded = new Set<string>();
  // Deepest first, so a parent sees whether its children were excluded.
  const order = [...stubs].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1));
  for (const p of order) {
    const host = join(upperDir, p);
    let st: Awaited<ReturnType<typeof lstat>>;
    try {
      st = await lstat(host);
    } catch (e) {
      const code = errnoOf(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw e;
    }
    if (st.isFile() && st.size === 0) {
      excluded.add(p);
    } else if (st.isDirectory()) {
      const names = await readdir(host);
      const all = names.every((n) => {
        const child = posix.join(p, n);
        return candidates.has(child) && excluded.has(child);
      });
      if (all) excluded.add(p);
    }
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
