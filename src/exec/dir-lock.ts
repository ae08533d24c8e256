import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { registerCleanup } from './cleanup.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return typeof e === 'object' && e !== null && 'code' in e && (e as { code: string }).code === 'EPERM';
  }
}

async function tryLock(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
  } catch (e) {
    if (!(typeof e === 'object' && e !== null && 'code' in e && (e as { code: string }).code === 'EEXIST'))
      throw e;
    // Held: by a live process, or left behind by a dead one.
    const owner = Number.parseInt(await readFile(join(lockDir, 'pid'), 'utf8').catch(() => ''), 10);
    if (Number.isNaN(owner) || alive(owner)) return false;
    await rm(lockDir, { recursive: true, force: true });
    return tryLock(lockDir);
  }
  await writeFile(join(lockDir, 'pid'), String(process.pid));
  return true;
}

export type ReleaseLock = () => Promise<void>;

/**
 * A lock between gantry processes (and within one): the directory `lockDir` exists while held,
 * with the holder's pid in it; a lock whose holder died is taken over. `wait: false` returns
 * undefined when held by someone else; `wait: true` waits for it (or for `signal`).
 */
export async function acquireDirLock(
  lockDir: string,
  opts: { wait: boolean; signal?: AbortSignal },
): Promise<ReleaseLock | undefined> {
  let delay = 20;
  while (!(await tryLock(lockDir))) {
    if (!opts.wait) return undefined;
    opts.signal?.throwIfAborted();
    await sleep(delay, undefined, opts.signal ? { signal: opts.signal } : {});
    delay = Math.min(delay * 2, 250);
  }
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    unregister();
    await rm(lockDir, { recursive: true, force: true });
  };
  // No orphan command: a dead holder's lock is taken over by pid (removing it blindly could
  // remove a lock another process took over meanwhile).
  const unregister = registerCleanup(release);
  return release;
}
