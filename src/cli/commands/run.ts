import { rm } from 'node:fs/promises';
import { RootfsAccess } from '../../build/rootfs.ts';
import type { BuiltLayer } from '../../build/types.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { checkRunSupport } from '../../exec/check-run-support.ts';
import { registerCleanup } from '../../exec/cleanup.ts';
import { runImageRootfs } from '../../exec/run-image.ts';
import { readImage } from '../../image/read-image.ts';
import type { Store } from '../../store/types.ts';
import type { CliEnv } from '../cli-env.ts';
import { findImage } from './images.ts';

export interface RunFlags {
  rm?: boolean;
  env: string[];
  network: string;
  entrypoint?: string;
  user?: string;
  workdir?: string;
  runtime: string;
}

/** `gantry run [--rm] [-e K=V] [--network host|none] IMAGE [CMD...]`: try an image from the store. */
export async function runCommand(
  store: Store,
  cli: CliEnv,
  image: string,
  cmd: string[],
  f: RunFlags,
  signal: AbortSignal,
): Promise<number> {
  const support = checkRunSupport({ runtime: f.runtime });
  if (!support.ok)
    throw new GantryError('E_RUN_UNSUPPORTED', `cannot run containers here: ${support.message}`, {
      hint: support.hint,
    });
  if (f.network !== 'host' && f.network !== 'none')
    throw new GantryError('E_CLI_FLAG', `unknown --network ${JSON.stringify(f.network)}`, {
      hint: 'use host or none',
    });
  const { descriptor } = await findImage(store, image);
  const img = await readImage(store.blobs, descriptor);
  const layers: BuiltLayer[] = img.manifest.layers.map((d, i) => ({
    descriptor: d,
    diffId: img.config.rootfs.diff_ids[i]!,
    size: 0,
  }));
  const lowerDirs = await new RootfsAccess(store, true).lowerDirs(layers);
  const scratch = await store.tmpDir('container-');
  const removeScratch = () => rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  // On SIGINT/SIGTERM the CLI runs the registered cleanups and exits before `finally` runs:
  // with --rm, the container's directory goes too (after its mounts, registered later, are undone).
  const unregister = f.rm ? registerCleanup(removeScratch) : () => {};
  try {
    const r = await runImageRootfs({
      lowerDirs,
      scratchDir: scratch,
      config: img.config.config ?? {},
      overrides: {
        ...(cmd.length > 0 ? { cmd } : {}),
        ...(f.entrypoint !== undefined ? { entrypoint: f.entrypoint === '' ? [] : [f.entrypoint] } : {}),
        ...(f.user !== undefined ? { user: f.user } : {}),
        ...(f.workdir !== undefined ? { workdir: f.workdir } : {}),
        env: f.env.map((e) => (e.includes('=') ? e : `${e}=${cli.env[e] ?? ''}`)),
      },
      network: f.network,
      runtime: f.runtime,
      signal,
      keep: f.rm !== true,
    });
    return r.exitCode;
  } finally {
    unregister();
    if (f.rm) await removeScratch();
  }
}
