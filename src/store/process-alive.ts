import { readFileSync } from 'node:fs';

/**
 * Whether the process `pid` still runs on this machine (in our pid namespace). When `start`
 * (from `processStartTime`) is given and /proc is readable, a different process that got the
 * same pid since (common in containers, where a restarted gantry gets the same small pid)
 * does not count. A process we may not signal (EPERM) exists.
 */
export function isProcessAlive(pid: number, start?: string): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (start !== undefined) {
    const now = processStartTime(pid);
    if (now !== undefined) return now === start;
  }
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * When process `pid` started (field 22 of /proc/<pid>/stat, clock ticks since boot), as an
 * opaque string; undefined when the process does not exist or /proc is not available.
 */
export function processStartTime(pid: number): string | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may contain spaces: count after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}
