import { defaultRlimits } from './host-limits.ts';
import { type NetworkMode, writeNetworkFiles } from './network-files.ts';
import { mergeEnv, withDefaultPath } from './process-env.ts';
import type { ProcessUser } from './resolve-user.ts';
import { buildRuntimeSpec } from './runtime-spec.ts';
import type { RuntimeSpec } from './runtime-spec-types.ts';
import type { PreparedMounts } from './step-mounts.ts';

export interface ContainerSpecOptions {
  /** The bundle directory: /etc/hosts and /etc/resolv.conf for the container are written here. */
  bundleDir: string;
  rootfs: string;
  id: string;
  args: string[];
  env: string[];
  cwd: string;
  user: ProcessUser;
  hostname: string;
  network: NetworkMode;
  mounts: PreparedMounts;
}

/** The runtime spec of one container (RUN step or `gantry run`): network files, env, mounts, limits. */
export async function containerSpec(o: ContainerSpecOptions): Promise<RuntimeSpec> {
  const files = await writeNetworkFiles(o.bundleDir, { hostname: o.hostname, network: o.network });
  return buildRuntimeSpec({
    args: o.args,
    env: withDefaultPath(mergeEnv(o.env, o.mounts.env)),
    cwd: o.cwd,
    user: o.user,
    hostname: o.hostname,
    rootfs: o.rootfs,
    network: o.network,
    ...files,
    mounts: o.mounts.specMounts,
    cgroupsPath: `/gantry/${o.id}`,
    rlimits: defaultRlimits(),
  });
}
