import { posix } from 'node:path';
import { GantryError } from '../errors/index.ts';
import { mkdirAllInRoot, resolveInRoot } from './resolve-in-root.ts';

/** Kernel file systems a working directory must never resolve into (their magic links lead out). */
function isForbiddenCwd(p: string): boolean {
  const under = (root: string): boolean => p === root || p.startsWith(`${root}/`);
  if (under('/proc') || under('/sys')) return true;
  // /dev is runc's tmpfs: /dev/fd → /proc/self/fd; only its shm and mqueue dirs are plain.
  return under('/dev') && !under('/dev/shm') && !under('/dev/mqueue');
}

/**
 * Makes the step's working directory exist (as BuildKit does: missing parts created 0755,
 * root-owned) and refuses one that resolves into /proc, /sys or /dev (e.g. `WORKDIR
 * /proc/self/fd/7`, a CVE-2024-21626-style escape through a leaked descriptor).
 * Returns the cwd to give the runtime (the path as written, cleaned).
 */
export async function prepareCwd(rootfs: string, cwd: string): Promise<string> {
  const wanted = posix.resolve('/', cwd === '' ? '/' : cwd);
  const bad = (resolved: string): GantryError =>
    new GantryError(
      'E_EXEC_BAD_WORKDIR',
      `working directory ${cwd} resolves to ${resolved}, inside a kernel file system`,
      {
        hint: "Use a WORKDIR in the image's own file system (not under /proc, /sys or /dev).",
      },
    );
  if (isForbiddenCwd(wanted)) throw bad(wanted);
  const resolved = await resolveInRoot(rootfs, wanted);
  if (isForbiddenCwd(resolved.containerPath)) throw bad(resolved.containerPath);
  await mkdirAllInRoot(rootfs, resolved.containerPath, { mode: 0o755, uid: 0, gid: 0 });
  return wanted;
}
