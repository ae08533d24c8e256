import { open, readdir, readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { isNotFound, unlinkIfExists } from './fs-helpers.ts';
import type { StoreLayout } from './layout.ts';
import { isProcessAlive, processStartTime } from './process-alive.ts';
import { tempName } from './temp-name.ts';
import type { StoreLease } from './types.ts';
import { withLock } from './with-lock.ts';

export interface LeaseHolder {
  file: string;
  pid: number;
  host: string;
}

/**
 * Registers a lease file under `leases/` while holding the gc lock, so no lease starts while a
 * prune runs (prune holds the gc lock throughout) and prune sees every lease that started
 * before it. Waits for a running prune up to `timeoutMs` (default 10 min).
 */
export async function takeLease(
  layout: Pick<StoreLayout, 'leasesDir' | 'gcLock'>,
  timeoutMs = 600_000,
): Promise<StoreLease> {
  const file = join(layout.leasesDir, tempName('lease'));
  const holder = { pid: process.pid, start: processStartTime(process.pid), host: hostname() };
  const content = `${JSON.stringify({ ...holder, createdAt: new Date().toISOString() })}\n`;
  await withLock(
    layout.gcLock,
    async () => {
      const fh = await open(file, 'wx', 0o644);
      try {
        await fh.writeFile(content);
      } finally {
        await fh.close();
      }
    },
    { timeoutMs },
  );
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await unlinkIfExists(file);
    },
  };
}

/**
 * Leases held by live processes. Leases of exited processes on this host are removed on the way,
 * and so are unreadable ones (leases are written under the gc lock, so a lease seen under
 * that lock is complete, or damaged). Call it holding the gc lock.
 */
export async function liveLeases(layout: Pick<StoreLayout, 'leasesDir'>): Promise<LeaseHolder[]> {
  const live: LeaseHolder[] = [];
  for (const name of (await readdir(layout.leasesDir)).sort()) {
    const file = join(layout.leasesDir, name);
    let holder: { pid: number; start: string | undefined; host: string } | undefined;
    try {
      holder = parseLease(await readFile(file, 'utf8'));
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
    const dead =
      holder === undefined || (holder.host === hostname() && !isProcessAlive(holder.pid, holder.start));
    if (dead) await unlinkIfExists(file);
    else if (holder !== undefined) live.push({ file, pid: holder.pid, host: holder.host });
  }
  return live;
}

function parseLease(text: string): { pid: number; start: string | undefined; host: string } | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (typeof v !== 'object' || v === null) return undefined;
    const { pid, start, host } = v as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof host !== 'string') return undefined;
    return { pid, start: typeof start === 'string' ? start : undefined, host };
  } catch {
    return undefined;
  }
}
