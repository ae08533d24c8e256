import { watchOrphan } from './orphan-watchdog.ts';

export type CleanupFn = () => Promise<void> | void;

export interface CleanupOptions {
  /**
   * Commands that do the same as `fn` without this process (e.g. `['umount', '-l', dir]`).
   * They are handed to a detached watchdog that runs them if gantry dies before `fn` ran.
   */
  orphanCommands?: string[][];
}

interface Entry {
  fn: CleanupFn;
  release: () => void;
}

const entries: Entry[] = [];

/**
 * Registers something to undo (a mount, a container). Returns the function that unregisters it,
 * to call once the caller undid it itself. Cleanups run newest first.
 */
export function registerCleanup(fn: CleanupFn, opts: CleanupOptions = {}): () => void {
  const release =
    opts.orphanCommands !== undefined && opts.orphanCommands.length > 0
      ? watchOrphan(opts.orphanCommands)
      : () => {};
  const entry: Entry = { fn, release };
  entries.push(entry);
  return () => {
    const i = entries.indexOf(entry);
    if (i >= 0) entries.splice(i, 1);
    release();
  };
}

/** How many cleanups are registered (tests check nothing leaks). */
export function pendingCleanups(): number {
  return entries.length;
}

/**
 * Runs every registered cleanup, newest first, each once, even when some fail.
 * Returns the failures (the CLI reports them; nothing here prints).
 */
export async function runCleanups(): Promise<unknown[]> {
  const errors: unknown[] = [];
  while (entries.length > 0) {
    const entry = entries.pop()!;
    try {
      await entry.fn();
      entry.release();
    } catch (e) {
      errors.push(e);
    }
  }
  return errors;
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

/**
 * Process-level handler for the CLI: on SIGINT/SIGTERM/SIGHUP, abort work in progress (through
 * `onSignal`, e.g. an AbortController), run the cleanups, then exit with 128+signal.
 * Returns the function that removes the handlers.
 */
export function installSignalCleanup(
  opts: { onSignal?: (signal: NodeJS.Signals) => void; exit?: (code: number) => void } = {},
): () => void {
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let running = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (running) return;
    running = true;
    opts.onSignal?.(signal);
    void runCleanups().then(() => exit(SIGNAL_EXIT[signal] ?? 1));
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
