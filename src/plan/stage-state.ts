import type { ContainerConfig, HistoryEntry, ImageConfig, Platform } from '../oci/types.ts';
import { EnvList } from './env-list.ts';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const DEFAULT_SHELL: readonly string[] = ['/bin/sh', '-c'];
export const HISTORY_COMMENT = 'buildkit.dockerfile.v0';

/** An ARG seen in the stage (BuildKit's d.buildArgs); value undefined when it has none. */
export interface ScopedArg {
  key: string;
  value?: string;
}

/**
 * A stage's state between steps: the image config being built (Docker fields kept), the ARGs in
 * scope and the environment instructions are expanded with (config Env plus ARG values).
 */
export interface StageState {
  image: ImageConfig;
  /** The image's container config (always present; the same object as image.config). */
  config: ContainerConfig;
  buildArgs: ScopedArg[];
  /** The environment for expansion and for RUN: config Env, then ARG values added in order. */
  env: EnvList;
  workdirSet: boolean;
  cmdSet: boolean;
  platform: Platform;
}

function cloneConfig(c: ContainerConfig | undefined): ContainerConfig {
  return structuredClone(c ?? {});
}

/** The config BuildKit starts `FROM scratch` with. */
export function emptyImageConfig(platform: Platform): ImageConfig {
  return {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: { Env: [`PATH=${DEFAULT_PATH}`], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: [] },
    history: [],
  };
}

/** A stage's starting state from its base image's config (or a copy of a base stage's state). */
export function initialStageState(opts: { base: ImageConfig | StageState; platform: Platform }): StageState {
  if ('env' in opts.base) {
    const b = opts.base;
    const image = structuredClone(b.image);
    const config = image.config ?? {};
    image.config = config;
    config.OnBuild = null;
    return {
      image,
      config,
      buildArgs: b.buildArgs.slice(),
      env: b.env,
      workdirSet: b.workdirSet,
      cmdSet: false,
      platform: b.platform,
    };
  }
  const image = structuredClone(opts.base);
  delete image.created;
  const config = cloneConfig(image.config);
  image.config = config;
  image.history = image.history ?? [];
  if (!EnvList.fromStrings(config.Env).has('PATH'))
    config.Env = [...(config.Env ?? []), `PATH=${DEFAULT_PATH}`];
  return {
    image,
    config,
    buildArgs: [],
    env: EnvList.fromStrings(config.Env),
    workdirSet: false,
    cmdSet: false,
    platform: opts.platform,
  };
}

/** Appends a history entry (BuildKit's commitToHistory). */
export function commitHistory(
  state: StageState,
  createdBy: string,
  opts: { withLayer: boolean; created?: string; buildkitSuffix?: boolean },
): HistoryEntry {
  const entry: HistoryEntry = {
    ...(opts.created !== undefined ? { created: opts.created } : {}),
    created_by: opts.buildkitSuffix ? `${createdBy} # buildkit` : createdBy,
    comment: HISTORY_COMMENT,
    ...(opts.withLayer ? {} : { empty_layer: true }),
  };
  state.image.history = [...(state.image.history ?? []), entry];
  return entry;
}

/** Sets KEY=VALUE in a config Env list, replacing an existing KEY in place. */
export function addEnv(env: readonly string[] | undefined, key: string, value: string): string[] {
  return EnvList.fromStrings(env).set(key, value).toStrings();
}

/** The shell a shell-form command runs with: SHELL if set, else /bin/sh -c. */
export function withShell(config: ContainerConfig, args: readonly string[]): string[] {
  const shell = config.Shell && config.Shell.length > 0 ? config.Shell : DEFAULT_SHELL;
  return [...shell, args.join(' ')];
}

/** BuildKit's RUN history text: `|N K=V ... args` when build args are in scope. */
export function runCommandString(
  args: readonly string[],
  buildArgs: readonly ScopedArg[],
  env: EnvList,
): string {
  const order: string[] = [];
  const values = new Map<string, string>();
  for (const a of buildArgs) {
    const v = env.get(a.key) ?? a.value ?? '';
    if (!values.has(a.key)) order.push(a.key);
    values.set(a.key, v);
  }
  const prefix = order.length > 0 ? [`|${order.length}`, ...order.map((k) => `${k}=${values.get(k)}`)] : [];
  return [...prefix, ...args].join(' ');
}
