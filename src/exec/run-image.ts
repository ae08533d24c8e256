import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors/index.ts';
import type { ContainerConfig } from '../oci/index.ts';
import { checkRunSupport } from './check-run-support.ts';
import { containerCommand, type RunOverrides } from './container-command.ts';
import { containerSpec } from './container-spec.ts';
import { shieldKernelMountPoints } from './kernel-mount-points.ts';
import { mountOverlay } from './mount-overlay.ts';
import { mountsUnder } from './mounts-under.ts';
import type { NetworkMode } from './network-files.ts';
import { resolveUser } from './resolve-user.ts';
import { runContainer } from './run-container.ts';
import { newContainerId } from './run-step.ts';
import type { RuntimeName } from './runtime-binary.ts';
import { prepareCwd } from './step-cwd.ts';
import { prepareStepMounts, type StepMount } from './step-mounts.ts';

export interface RunImageOptions {
  /** The image's layer snapshots, top-most first. */
  lowerDirs: string[];
  /** An empty directory of this run's own; removed afterwards unless `keep`. */
  scratchDir: string;
  config: ContainerConfig;
  overrides?: RunOverrides;
  network?: NetworkMode;
  mounts?: StepMount[];
  runtime?: RuntimeName;
  hostname?: string;
  signal?: AbortSignal;
  /** Keep the scratch dir (and the container's changes in upper/) after the run. */
  keep?: boolean;
}

/**
 * `gantry run`: runs the image's command (Entrypoint/Cmd/User/WorkingDir/Env with Docker's
 * override rules) in a throw-away container whose stdin, stdout and stderr are gantry's own
 * (no terminal is allocated), then unmounts and removes everything. Returns the exit code.
 */
export async function runImageRootfs(o: RunImageOptions): Promise<{ exitCode: number }> {
  const support = checkRunSupport({ runtime: o.runtime });
  if (!support.ok)
    throw new GantryError('E_EXEC_UNSUPPORTED', `cannot run containers: ${support.message}`, {
      hint: support.hint,
    });
  const command = containerCommand(o.config, o.overrides);
  const dirs = {
    upperDir: join(o.scratchDir, 'upper'),
    workDir: join(o.scratchDir, 'work'),
    target: join(o.scratchDir, 'rootfs'),
  };
  const bundleDir = join(o.scratchDir, 'bundle');
  for (const d of [...Object.values(dirs), bundleDir]) await mkdir(d, { recursive: true });
  try {
    const unmount = await mountOverlay({ lowerDirs: o.lowerDirs, ...dirs });
    try {
      const rootfs = dirs.target;
      await shieldKernelMountPoints(rootfs);
      const user = await resolveUser(rootfs, command.user);
      const cwd = await prepareCwd(rootfs, command.cwd);
      const prepared = await prepareStepMounts(o.mounts ?? [], { scratchDir: o.scratchDir, cwd });
      try {
        const id = newContainerId();
        const network = o.network ?? 'host';
        const hostname = o.hostname ?? id.slice(-12);
        const spec = await containerSpec({
          bundleDir,
          rootfs,
          id,
          args: command.args,
          env: command.env,
          cwd,
          user,
          hostname,
          network,
          mounts: prepared,
        });
        return await runContainer({
          ...(o.runtime ? { runtime: o.runtime } : {}),
          bundleDir,
          id,
          spec,
          stdio: 'inherit',
          ...(o.signal ? { signal: o.signal } : {}),
        });
      } finally {
        await prepared.release();
      }
    } finally {
      await unmount();
    }
  } finally {
    // Never recurse into something still mounted (it could be a cache or a bind source).
    if (o.keep !== true && (await mountsUnder(o.scratchDir)).length === 0) {
      await rm(o.scratchDir, { recursive: true, force: true });
    }
  }
}
