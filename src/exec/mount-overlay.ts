import { existsSync } from 'node:fs';
import { mkdtemp, rm, rmdir, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GantryError } from '../errors/index.ts';
import { registerCleanup } from './cleanup.ts';
import { mountsUnder } from './mounts-under.ts';
import { runCommand } from './run-command.ts';

/** The kernel copies mount data into one page; stay well below it. */
export const MOUNT_DATA_LIMIT = 4000;
/** overlayfs' OVL_MAX_STACK. */
export const MAX_LOWER_DIRS = 500;

export interface OverlayDirs {
  /** Top-most first, as overlayfs' lowerdir= lists them. */
  lowerDirs: string[];
  /**
   * Both or neither. Without them the overlay is read-only (at least two lower dirs): nothing to
   * write, and its unmount does not sync the file system the upper dir would live on.
   */
  upperDir?: string;
  workDir?: string;
}

export interface OverlayPlan {
  /** The -o argument for mount. */
  options: string;
  /**
   * When set, mount must run with this directory's future path as cwd, after making in it one
   * symlink per entry: name → target. Relative short names keep long lists under a page.
   */
  links?: { name: string; target: string }[];
}

/** Characters that break overlay's option parsing (`,` separates options, `:` lower dirs). */
const UNSAFE = /[,:\\\s=]/;

/**
 * Chooses the overlay mount options. Absolute paths when they fit in a page and need no escaping;
 * otherwise short relative names ("0", "1", ..., "u", "w"; decimal, so never "u" or "w") that mount resolves from its cwd,
 * where symlinks point at the real directories (as Docker's overlay2 driver does with its "l/"
 * links). `features` are the switches to pin off (so the upper dir stays a plain diff that
 * tar can carry): any of index, redirect_dir, metacopy that the kernel knows.
 */
export function planOverlayMount(dirs: OverlayDirs, features: readonly string[] = []): OverlayPlan {
  if (dirs.lowerDirs.length === 0) throw new Error('planOverlayMount: at least one lower dir is required');
  const rw = dirs.upperDir !== undefined && dirs.workDir !== undefined;
  if (!rw && (dirs.upperDir !== undefined || dirs.workDir !== undefined))
    throw new Error('planOverlayMount: give both upperDir and workDir, or neither');
  if (!rw && dirs.lowerDirs.length < 2)
    throw new Error('planOverlayMount: a read-only overlay needs at least two lower dirs');
  const extra = features.map((f) => `,${f}=off`).join('');
  // The upper and work dirs as option name, short link name and path (none when read-only).
  const upper = rw
    ? [
        { option: 'upperdir', name: 'u', dir: dirs.upperDir! },
        { option: 'workdir', name: 'w', dir: dirs.workDir! },
      ]
    : [];
  const all = [...dirs.lowerDirs, ...upper.map((u) => u.dir)];
  const direct = `lowerdir=${dirs.lowerDirs.join(':')}${upper.map((u) => `,${u.option}=${u.dir}`).join('')}${extra}`;
  if (direct.length <= MOUNT_DATA_LIMIT && !all.some((p) => UNSAFE.test(p))) return { options: direct };
  const links = [
    ...dirs.lowerDirs.map((target, i) => ({ name: String(i), target })),
    ...upper.map((u) => ({ name: u.name, target: u.dir })),
  ];
  const lowers = dirs.lowerDirs.map((_, i) => String(i)).join(':');
  return {
    options: `lowerdir=${lowers}${upper.map((u) => `,${u.option}=${u.name}`).join('')}${extra}`,
    links,
  };
}

function overlayFeatures(): string[] {
  return ['index', 'redirect_dir', 'metacopy'].filter((f) =>
    existsSync(`/sys/module/overlay/parameters/${f}`),
  );
}

export interface MountOverlayOptions extends OverlayDirs {
  target: string;
}

export type Unmount = () => Promise<void>;

/** Unmounts `target`; a busy mount is detached lazily rather than left behind. */
export async function unmountPath(target: string): Promise<void> {
  const r = await runCommand('umount', [target]);
  if (r.code === 0) return;
  const lazy = await runCommand('umount', ['-l', target]);
  if (lazy.code !== 0 && (await mountsUnder(target)).includes(target)) {
    throw new GantryError(
      'E_EXEC_UNMOUNT_FAILED',
      `cannot unmount ${target}: ${r.stderr.trim() || lazy.stderr.trim()}`,
      {
        hint: `Unmount it by hand (umount -l ${target}) and remove the directory.`,
      },
    );
  }
}

/**
 * Mounts an overlay of `lowerDirs` (top-most first) + `upperDir` at `target` with `mount -t
 * overlay`. With no lower dirs (FROM scratch) an empty lower dir is made beside `workDir`.
 * Returns an idempotent unmount function, also registered with the cleanup registry.
 */
export async function mountOverlay(o: MountOverlayOptions): Promise<Unmount> {
  if (o.lowerDirs.length > MAX_LOWER_DIRS) {
    throw new GantryError(
      'E_EXEC_TOO_MANY_LAYERS',
      `${o.lowerDirs.length} layers exceed overlayfs' limit of ${MAX_LOWER_DIRS}`,
      {
        hint: 'Squash the base image or merge RUN steps so the image has fewer layers.',
      },
    );
  }
  let emptyLower: string | undefined;
  let lowerDirs = o.lowerDirs;
  // Scratch space beside the work dir (or, read-only, beside the mount point).
  const beside = dirname(o.workDir ?? o.target);
  if (lowerDirs.length === 0 && o.upperDir !== undefined) {
    emptyLower = await mkdtemp(join(beside, '.empty-lower-'));
    lowerDirs = [emptyLower];
  }
  const plan = planOverlayMount({ ...o, lowerDirs }, overlayFeatures());
  let linkDir: string | undefined;
  try {
    if (plan.links !== undefined) {
      linkDir = await mkdtemp(join(beside, '.l-'));
      for (const l of plan.links) await symlink(l.target, join(linkDir, l.name));
    }
    const r = await runCommand('mount', ['-t', 'overlay', 'overlay', '-o', plan.options, o.target], {
      cwd: linkDir,
    });
    if (r.code !== 0) {
      throw new GantryError(
        'E_EXEC_MOUNT_FAILED',
        `cannot mount the overlay root file system at ${o.target}: ${r.stderr.trim()}`,
        {
          hint: 'Check that the lower, upper and work dirs exist on a file system overlayfs supports (not overlayfs itself); `dmesg` names the reason.',
        },
      );
    }
  } catch (e) {
    if (emptyLower !== undefined) await rmdir(emptyLower).catch(() => {});
    throw e;
  } finally {
    // The kernel resolved the links at mount time; they are not needed afterwards.
    if (linkDir !== undefined) await rm(linkDir, { recursive: true, force: true });
  }
  let pending: Promise<void> | undefined;
  const unregister = registerCleanup(() => unmount(), { orphanCommands: [['umount', '-l', o.target]] });
  // Every caller (the step, the cleanup registry on a signal) waits for the same unmount.
  function unmount(): Promise<void> {
    pending ??= (async () => {
      await unmountPath(o.target);
      unregister();
      if (emptyLower !== undefined) await rmdir(emptyLower).catch(() => {});
    })();
    return pending;
  }
  return unmount;
}
