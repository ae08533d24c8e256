import { lstat, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Where runc mounts kernel file systems; runc 1.1 creates /dev's links without resolving inside the rootfs. */
export const KERNEL_MOUNT_POINTS: readonly string[] = ['dev', 'proc', 'sys'];

/**
 * Before a container starts on the merged rootfs: a /dev, /proc or /sys that is not a plain
 * directory (e.g. a symlink to a host path planted by an image) is hidden by a fresh directory,
 * so runc mounts gantry's own file systems there and creates nothing on the host (runc 1.1
 * writes /dev/fd, /dev/ptmx, ... through such a link). Returns the names it replaced, for
 * `restoreKernelMountPoints`.
 */
export async function shieldKernelMountPoints(rootfs: string): Promise<string[]> {
  const replaced: string[] = [];
  for (const name of KERNEL_MOUNT_POINTS) {
    const p = join(rootfs, name);
    const st = await lstat(p).catch(() => undefined);
    if (st === undefined || st.isDirectory()) continue;
    // Through overlayfs: a whiteout hides the lower entry, the new dir is opaque.
    await rm(p, { force: true });
    await mkdir(p, { mode: 0o755 });
    replaced.push(name);
  }
  return replaced;
}

/**
 * After the overlay is unmounted: drops the directories `shieldKernelMountPoints` made from the
 * upper dir, so the image's own entries show again and the layer carries no change for them.
 */
export async function restoreKernelMountPoints(upperDir: string, replaced: readonly string[]): Promise<void> {
  for (const name of replaced) await rm(join(upperDir, name), { recursive: true, force: true });
}
