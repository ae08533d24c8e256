import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GantryError } from '../errors/gantry-error.ts';
import { errnoCode, isNotFound, unlinkIfExists } from './fs-helpers.ts';
import { isProcessAlive, processStartTime } from './process-alive.ts';

export interface LockOptions {
  /** Give up with E_STORE_LOCK_TIMEOUT after waiting this long for a live holder. Default 10 min. */
  timeoutMs?: number;
  /** A lock file whose content cannot be read as a holder counts as stale after this age. Default 10 s. */
  unreadableStaleMs?: number;
}

/** What a lock file holds: who owns it, and a nonce so a new lock is never mistaken for an old one. */
interface Holder {
  pid: number;
  /** The holder's start time (`processStartTime`), to tell a reused pid from the holder. */
  start?: string;
  host: string;
  nonce: string;
}

interface Seen {
  ino: number;
  content: string;
  mtimeMs: number;
  holder: Holder | undefined;
}

/**
 * Runs `fn` while holding the lock file `path` (created with O_EXCL, holding our pid and start
 * time). Waits, with growing pauses, while another live process holds it; breaks it when its
 * holder (on this host) has exited, even if a new process now has the holder's pid. Not re-entrant: taking a lock you already hold waits until the timeout.
 */
export async function withLock<T>(path: string, fn: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const release = await acquireLock(path, options);
  try {
    return await fn();
  } finally {
    await release();
  }
}

/** Takes the lock and returns its release function (idempotent). Prefer `withLock`. */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<() => Promise<void>> {
  const timeoutMs = options.timeoutMs ?? 600_000;
  const unreadableStaleMs = options.unreadableStaleMs ?? 10_000;
  const content = holderContent();
  const deadline = Date.now() + timeoutMs;
  await mkdir(dirname(path), { recursive: true });
  let pause = 2;
  for (;;) {
    if (await tryCreate(path, content)) return releaser(path, content);
    const seen = await inspect(path);
    if (seen === undefined) continue; // released between our create and our look: try again now
    if (isStale(seen, unreadableStaleMs)) {
      await breakStale(path, seen, unreadableStaleMs);
      continue;
    }
    if (Date.now() >= deadline) throw timeoutError(path, seen, timeoutMs);
    await sleep(pause + Math.random() * pause);
    pause = Math.min(pause * 2, 100);
  }
}

function holderContent(): string {
  const holder: Holder = {
    pid: process.pid,
    start: processStartTime(process.pid),
    host: hostname(),
    nonce: randomBytes(8).toString('hex'),
  };
  return `${JSON.stringify(holder)}\n`;
}

/** Creates `path` exclusively with `content`; false when it already exists. */
async function tryCreate(path: string, content: string): Promise<boolean> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, 'wx', 0o644);
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false;
    throw lockError(path, e);
  }
  try {
    await fh.writeFile(content);
  } catch (e) {
    await fh.close();
    await unlinkIfExists(path);
    throw lockError(path, e);
  }
  await fh.close();
  return true;
}

function releaser(path: string, content: string): () => Promise<void> {
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    // Only remove the file if it is still ours (it is, unless someone judged us dead).
    const seen = await inspect(path);
    if (seen?.content === content) await unlinkIfExists(path);
  };
}

async function inspect(path: string): Promise<Seen | undefined> {
  try {
    const [st, content] = await Promise.all([stat(path), readFile(path, 'utf8')]);
    return { ino: st.ino, content, mtimeMs: st.mtimeMs, holder: parseHolder(content) };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

function parseHolder(content: string): Holder | undefined {
  try {
    const v: unknown = JSON.parse(content);
    if (typeof v !== 'object' || v === null) return undefined;
    const { pid, start, host, nonce } = v as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof host !== 'string' || typeof nonce !== 'string') return undefined;
    return { pid, start: typeof start === 'string' ? start : undefined, host, nonce };
  } catch {
    return undefined; // being written right now, or damaged
  }
}

function isStale(seen: Seen, unreadableStaleMs: number): boolean {
  if (seen.holder === undefined) return Date.now() - seen.mtimeMs > unreadableStaleMs;
  // A holder on another host (a shared network store) cannot be checked: never break it.
  if (seen.holder.host !== hostname()) return false;
  return !isProcessAlive(seen.holder.pid, seen.holder.start);
}

/**
 * Removes a stale lock. Breakers serialise on `<path>.break` and re-check, under it, that the
 * file is still the very one judged stale (same inode and content, content has a nonce), so a
 * lock taken meanwhile by a live process is never removed.
 */
async function breakStale(path: string, seen: Seen, unreadableStaleMs: number): Promise<void> {
  const breakPath = `${path}.break`;
  if (!(await tryCreate(breakPath, holderContent()))) {
    const breaker = await inspect(breakPath);
    // A breaker that died inside this short section leaves its file behind; clear it.
    if (breaker !== undefined && isStale(breaker, unreadableStaleMs)) await unlinkIfExists(breakPath);
    else await sleep(1 + Math.random() * 4);
    return;
  }
  try {
    const now = await inspect(path);
    if (now !== undefined && now.ino === seen.ino && now.content === seen.content) await unlinkIfExists(path);
  } finally {
    await unlinkIfExists(breakPath);
  }
}

function timeoutError(path: string, seen: Seen, timeoutMs: number): GantryError {
  const who =
    seen.holder === undefined ? 'an unknown holder' : `pid ${seen.holder.pid} on ${seen.holder.host}`;
  return new GantryError(
    'E_STORE_LOCK_TIMEOUT',
    `timed out after ${Math.round(timeoutMs / 1000)}s waiting for lock ${path}, held by ${who}`,
    {
      hint: 'another gantry process is using this part of the store; wait for it, or if that process no longer runs, remove the lock file',
    },
  );
}

function lockError(path: string, cause: unknown): GantryError {
  return new GantryError('E_STORE_LOCK', `cannot create lock file ${path}: ${(cause as Error).message}`, {
    hint: 'check that the store directory is writable by this user and the disk is not full',
    cause,
  });
}
