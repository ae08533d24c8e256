import { createHash } from 'node:crypto';
import { chmod, chown, copyFile, lstat, mkdir, writeFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { GantryError } from '../errors/index.ts';
import { registerCleanup } from './cleanup.ts';
import { acquireDirLock, type ReleaseLock } from './dir-lock.ts';
import { mountOverlay, type Unmount, unmountPath } from './mount-overlay.ts';
import { resolveInRoot } from './resolve-in-root.ts';
import { runCommand } from './run-command.ts';
import type { SpecMount } from './runtime-spec-types.ts';

/** RUN --mount, after the build resolved sources (context dir, a stage's or image's rootfs). */
export type StepMount =
  | {
      type: 'bind';
      target: string;
      /** Root the source is taken from (build context, another stage's or an image's rootfs). */
      sourceRoot: string;
      /** Path inside `sourceRoot` (resolved inside it); default '/'. */
      source?: string;
      /** `rw`: writes are allowed but discarded after the step. */
      readwrite?: boolean;
    }
  | {
      type: 'cache';
      target: string;
      /** Cache id (defaults to the target in the Dockerfile). */
      id: string;
      /** The store root; caches live in `<cacheRoot>/cache-mounts/`. */
      cacheRoot: string;
      sharing?: 'shared' | 'private' | 'locked';
      readonly?: boolean;
      /** Owner and mode of the cache directory when it is created. */
      uid?: number;
      gid?: number;
      mode?: number;
    }
  | { type: 'tmpfs'; target: string /** bytes */; size?: number }
  | {
      type: 'secret';
      id: string;
      /** Default `/run/secrets/<id>` unless only `env` is given. */
      target?: string;
      /** Also (or only) expose the secret as this environment variable. */
      env?: string;
      /** The secret's value; undefined when the build was not given it. */
      data?: Buffer;
      required?: boolean;
      uid?: number;
      gid?: number;
      mode?: number;
    }
  | {
      type: 'ssh';
      id?: string;
      /** Default `/run/buildkit/ssh_agent.<n>`. */
      target?: string;
      /** The agent socket on the host; undefined when none was forwarded. */
      socketPath?: string;
      required?: boolean;
    };

export interface PreparedMounts {
  specMounts: SpecMount[];
  /** Environment additions (secret env=, SSH_AUTH_SOCK). Never written to the image config. */
  env: string[];
  /** Absolute container paths mounted on (their stubs must not reach the layer). */
  targets: string[];
  release: () => Promise<void>;
}

function absTarget(cwd: string, target: string): string {
  return posix.resolve('/', cwd, target);
}

/** The directory of cache `id`, instance `n` (private caches get more than one). */
export function cacheDir(cacheRoot: string, id: string, n = 0): string {
  const hex = createHash('sha256').update(id).digest('hex');
  return join(cacheRoot, 'cache-mounts', n === 0 ? hex : `${hex}-${n}`);
}

async function ensureDir(dir: string, uid: number, gid: number, mode: number): Promise<void> {
  try {
    await lstat(dir);
    return;
  } catch {
    // create below
  }
  await mkdir(dir, { recursive: true });
  await chmod(dir, mode);
  await chown(dir, uid, gid);
}

/**
 * Turns RUN --mount entries into runtime-spec mounts, creating what they need under
 * `scratchDir` (rw bind overlays, a tmpfs for secrets) and under the cache root; `release()`
 * undoes it all (unmounts, cache locks). Targets are resolved against the step's cwd.
 */
export async function prepareStepMounts(
  mounts: readonly StepMount[],
  ctx: { scratchDir: string; cwd: string; signal?: AbortSignal },
): Promise<PreparedMounts> {
  const specMounts: SpecMount[] = [];
  const env: string[] = [];
  const targets: string[] = [];
  const undo: (() => Promise<void>)[] = [];
  let secretsDir: string | undefined;
  let sshCount = 0;
  const release = async (): Promise<void> => {
    while (undo.length > 0) await undo.pop()!();
  };
  try {
    for (const [i, m] of mounts.entries()) {
      switch (m.type) {
        case 'bind': {
          const target = absTarget(ctx.cwd, m.target);
          const src = await resolveInRoot(m.sourceRoot, m.source ?? '/');
          const st = await lstat(src.hostPath).catch(() => undefined);
          if (st === undefined) {
            throw new GantryError(
              'E_EXEC_MOUNT_SOURCE',
              `bind mount source ${m.source ?? '/'} does not exist (for target ${target})`,
              {
                hint: 'Check the source= path; it is relative to the build context, or to the stage/image named by from=.',
              },
            );
          }
          let source = src.hostPath;
          if (m.readwrite === true) {
            const base = join(ctx.scratchDir, 'mounts', String(i));
            await mkdir(base, { recursive: true });
            if (st.isDirectory()) {
              const dirs = {
                upperDir: join(base, 'upper'),
                workDir: join(base, 'work'),
                target: join(base, 'merged'),
              };
              for (const d of Object.values(dirs)) await mkdir(d);
              const unmount: Unmount = await mountOverlay({ lowerDirs: [src.hostPath], ...dirs });
              undo.push(unmount);
              source = dirs.target;
            } else {
              source = join(base, 'file');
              await copyFile(src.hostPath, source);
            }
          }
          specMounts.push({
            destination: target,
            type: 'bind',
            source,
            options: m.readwrite === true ? ['rbind'] : ['rbind', 'ro'],
          });
          targets.push(target);
          break;
        }
        case 'cache': {
          const target = absTarget(ctx.cwd, m.target);
          const sharing = m.sharing ?? 'shared';
          let n = 0;
          let lock: ReleaseLock | undefined;
          if (sharing === 'locked') {
            lock = await acquireDirLock(`${cacheDir(m.cacheRoot, m.id)}.lock`, {
              wait: true,
              signal: ctx.signal,
            });
          } else if (sharing === 'private') {
            // In use elsewhere: take the next instance, as BuildKit gives a private cache its own copy.
            while (lock === undefined) {
              lock = await acquireDirLock(`${cacheDir(m.cacheRoot, m.id, n)}.lock`, { wait: false });
              if (lock === undefined) n++;
            }
          }
          if (lock !== undefined) undo.push(lock);
          const dir = cacheDir(m.cacheRoot, m.id, n);
          await mkdir(join(m.cacheRoot, 'cache-mounts'), { recursive: true });
          await ensureDir(dir, m.uid ?? 0, m.gid ?? 0, m.mode ?? 0o755);
          specMounts.push({
            destination: target,
            type: 'bind',
            source: dir,
            options: m.readonly === true ? ['rbind', 'ro'] : ['rbind'],
          });
          targets.push(target);
          break;
        }
        case 'tmpfs': {
          const target = absTarget(ctx.cwd, m.target);
          const options = ['nosuid'];
          if (m.size !== undefined && m.size > 0) options.push(`size=${m.size}`);
          specMounts.push({ destination: target, type: 'tmpfs', source: 'tmpfs', options });
          targets.push(target);
          break;
        }
        case 'secret': {
          if (m.data === undefined) {
            if (m.required === true) {
              throw new GantryError(
                'E_EXEC_SECRET_MISSING',
                `secret ${m.id} is required but was not given to the build`,
                {
                  hint: `Pass it with --secret id=${m.id},src=PATH (or env=VAR).`,
                },
              );
            }
            break;
          }
          if (m.env !== undefined) env.push(`${m.env}=${m.data.toString('utf8')}`);
          if (m.env !== undefined && m.target === undefined) break;
          if (secretsDir === undefined) {
            // Secrets live on a tmpfs only, never on disk, never in the upper dir.
            const dir = join(ctx.scratchDir, 'secrets');
            await mkdir(dir, { recursive: true, mode: 0o700 });
            const r = await runCommand('mount', [
              '-t',
              'tmpfs',
              '-o',
              'mode=0700,size=16m,nosuid,nodev,noexec',
              'tmpfs',
              dir,
            ]);
            if (r.code !== 0) {
              throw new GantryError(
                'E_EXEC_MOUNT_FAILED',
                `cannot mount a tmpfs for secrets at ${dir}: ${r.stderr.trim()}`,
                {
                  hint: 'gantry needs root to mount tmpfs; check `mount -t tmpfs` works on this machine.',
                },
              );
            }
            const unregister = registerCleanup(() => unmountPath(dir), {
              orphanCommands: [['umount', '-l', dir]],
            });
            undo.push(async () => {
              unregister();
              await unmountPath(dir);
            });
            secretsDir = dir;
          }
          const file = join(secretsDir, String(i));
          await writeFile(file, m.data, { mode: 0o600 });
          await chmod(file, m.mode ?? 0o400);
          await chown(file, m.uid ?? 0, m.gid ?? 0);
          const target = absTarget(ctx.cwd, m.target ?? `/run/secrets/${m.id}`);
          specMounts.push({
            destination: target,
            type: 'bind',
            source: file,
            options: ['rbind', 'ro', 'nosuid', 'nodev', 'noexec'],
          });
          targets.push(target);
          break;
        }
        case 'ssh': {
          if (m.socketPath === undefined) {
            if (m.required === true) {
              throw new GantryError(
                'E_EXEC_SSH_MISSING',
                `ssh agent ${m.id ?? 'default'} is required but none was forwarded`,
                {
                  hint: 'Pass --ssh default (with SSH_AUTH_SOCK set) or --ssh ID=SOCKET.',
                },
              );
            }
            break;
          }
          const target = absTarget(ctx.cwd, m.target ?? `/run/buildkit/ssh_agent.${sshCount}`);
          if (sshCount === 0) env.push(`SSH_AUTH_SOCK=${target}`);
          sshCount++;
          specMounts.push({
            destination: target,
            type: 'bind',
            source: m.socketPath,
            options: ['rbind', 'ro'],
          });
          targets.push(target);
          break;
        }
        default: {
          const never: never = m;
          throw new Error(`unknown mount ${JSON.stringify(never)}`);
        }
      }
    }
  } catch (e) {
    await release();
    throw e;
  }
  return { specMounts, env, targets, release };
}
