import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors/index.ts';
import { checkRunSupport } from './check-run-support.ts';
import { containerSpec } from './container-spec.ts';
import { restoreKernelMountPoints, shieldKernelMountPoints } from './kernel-mount-points.ts';
import { mountOverlay } from './mount-overlay.ts';
import { DEFAULT_MOUNT_TARGETS, findMountStubs, layerExcludes, type MountStubs } from './mount-stubs.ts';
import { DEFAULT_HOSTNAME, type NetworkMode } from './network-files.ts';
import { resolveUser } from './resolve-user.ts';
import { runContainer } from './run-container.ts';
import type { RuntimeName } from './runtime-binary.ts';
import { prepareCwd } from './step-cwd.ts';
import { prepareStepMounts, type StepMount } from './step-mounts.ts';

export interface StepProcess {
  args: string[];
  env: string[];
  /** WORKDIR; created when missing. */
  cwd: string;
  /** USER: "name|uid[:group|gid]", "" for root. */
  user: string;
}

export interface RunStepOptions {
  /** The parent snapshots, top-most first; empty for FROM scratch. */
  lowerDirs: string[];
  /** An empty directory of the step's own: upper/, work/, rootfs/, bundle/ are made in it. */
  scratchDir: string;
  process: StepProcess;
  network?: NetworkMode;
  mounts?: StepMount[];
  runtime?: RuntimeName;
  hostname?: string;
  onOutput?: (stream: 'stdout' | 'stderr', line: string) => void;
  signal?: AbortSignal;
  /** How many last lines of output to keep for an error message (default 20). */
  tailLines?: number;
  /**
   * Return as soon as the container has exited and the step succeeded, with the overlay still
   * being unmounted (`unmounted`): the caller may read the upper dir meanwhile (nothing writes
   * to it any more) but must await `unmounted` before changing or moving anything in it.
   */
  overlapUnmount?: boolean;
}

export interface RunStepResult {
  exitCode: number;
  /** The step's changes, an overlayfs upper dir (whiteouts, opaque dirs) for the layer writer. */
  upperDir: string;
  /** Paths relative to `upperDir` the layer must leave out (mount stubs); see layerExcludes. */
  excludes: string[];
  outputTail: string[];
  /** Settles when the overlay is unmounted (already, unless `overlapUnmount`); rejects if that failed. */
  unmounted: Promise<void>;
}

/** A container id unique on this machine: the pid keeps concurrent gantry processes apart. */
export function newContainerId(): string {
  return `gantry-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/**
 * Runs one RUN step: mounts the overlay root file system, creates the working directory,
 * resolves the user, prepares --mount entries, runs the container, and unmounts everything
 * (also when it fails or is aborted). The upper dir is left for the caller to turn into a layer,
 * minus `excludes`. A non-zero exit code is a result, not an exception: the caller (build/)
 * turns it into a StepError with the step's Dockerfile ranges and `outputTail`.
 */
export async function runStep(o: RunStepOptions): Promise<RunStepResult> {
  const support = checkRunSupport({ runtime: o.runtime });
  if (!support.ok)
    throw new GantryError('E_EXEC_UNSUPPORTED', `cannot run RUN steps: ${support.message}`, {
      hint: support.hint,
    });
  const upperDir = join(o.scratchDir, 'upper');
  const workDir = join(o.scratchDir, 'work');
  const rootfs = join(o.scratchDir, 'rootfs');
  const bundleDir = join(o.scratchDir, 'bundle');
  for (const d of [upperDir, workDir, rootfs, bundleDir]) await mkdir(d, { recursive: true });
  const tail: string[] = [];
  const keep = o.tailLines ?? 20;
  const sink = (stream: 'stdout' | 'stderr') => (line: string) => {
    tail.push(line);
    if (tail.length > keep) tail.shift();
    o.onOutput?.(stream, line);
  };
  const unmount = await mountOverlay({ lowerDirs: o.lowerDirs, upperDir, workDir, target: rootfs });
  let stubs: MountStubs = { stubs: [], parents: [] };
  let shielded: string[] = [];
  let exitCode: number | undefined;
  let unmounted: Promise<void>;
  try {
    shielded = await shieldKernelMountPoints(rootfs);
    const user = await resolveUser(rootfs, o.process.user);
    const cwd = await prepareCwd(rootfs, o.process.cwd);
    const prepared = await prepareStepMounts(o.mounts ?? [], {
      scratchDir: o.scratchDir,
      cwd,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    try {
      stubs = await findMountStubs(rootfs, [...DEFAULT_MOUNT_TARGETS, ...prepared.targets]);
      const network = o.network ?? 'host';
      const hostname = o.hostname ?? DEFAULT_HOSTNAME;
      const id = newContainerId();
      const spec = await containerSpec({
        bundleDir,
        rootfs,
        id,
        args: o.process.args,
        env: o.process.env,
        cwd,
        user,
        hostname,
        network,
        mounts: prepared,
      });
      ({ exitCode } = await runContainer({
        ...(o.runtime ? { runtime: o.runtime } : {}),
        bundleDir,
        id,
        spec,
        stdout: sink('stdout'),
        stderr: sink('stderr'),
        ...(o.signal ? { signal: o.signal } : {}),
      }));
    } finally {
      await prepared.release();
    }
  } finally {
    unmounted = unmount().then(() => restoreKernelMountPoints(upperDir, shielded));
    // Handled here so a failure while the caller is busy is not an unhandled rejection; whoever
    // awaits `unmounted` still gets it.
    unmounted.catch(() => undefined);
    // Overlapped only on success with nothing to restore: the restore changes the upper dir.
    const overlap = o.overlapUnmount === true && exitCode === 0 && shielded.length === 0;
    if (!overlap) await unmounted;
  }
  const excludes = await layerExcludes(upperDir, stubs).catch(async (e: unknown) => {
    await unmounted.catch(() => undefined);
    throw e;
  });
  return { exitCode, upperDir, excludes, outputTail: tail, unmounted };
}
