/**
 * Whether a process with this pid exists on this machine (in our pid namespace). A process we
 * may not signal (EPERM) exists. Not a proof of identity: pids are reused.
 */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
