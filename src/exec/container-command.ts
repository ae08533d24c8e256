import { GantryError } from '../errors/index.ts';
import type { ContainerConfig } from '../oci/index.ts';
import { mergeEnv } from './process-env.ts';

export interface RunOverrides {
  /** `--entrypoint`: replaces the image's Entrypoint and drops its Cmd ([] clears it). */
  entrypoint?: string[];
  /** Arguments after the image name: replace the image's Cmd. */
  cmd?: string[];
  user?: string;
  workdir?: string;
  /** KEY=VALUE entries that override the image's Env. */
  env?: string[];
}

export interface ContainerCommand {
  args: string[];
  env: string[];
  cwd: string;
  user: string;
}

/** Docker's rules for what a container runs, from the image config and `docker run` overrides. */
export function containerCommand(config: ContainerConfig, o: RunOverrides = {}): ContainerCommand {
  const entrypoint = o.entrypoint ?? config.Entrypoint ?? [];
  const cmd = o.cmd ?? (o.entrypoint !== undefined ? [] : (config.Cmd ?? []));
  const args = [...entrypoint, ...cmd];
  if (args.length === 0) {
    throw new GantryError(
      'E_EXEC_NO_COMMAND',
      'no command to run: the image has no Entrypoint or Cmd and none was given',
      {
        hint: 'Give a command after the image name (gantry run IMAGE sh), or set CMD in the Dockerfile.',
      },
    );
  }
  return {
    args,
    env: mergeEnv(config.Env ?? [], o.env ?? []),
    cwd: o.workdir ?? (config.WorkingDir || '/'),
    user: o.user ?? config.User ?? '',
  };
}
