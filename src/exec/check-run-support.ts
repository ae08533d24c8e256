import { readFileSync } from 'node:fs';
import { findExecutable, type RuntimeName, runtimeBinary } from './runtime-binary.ts';

export type RunSupport =
  | { ok: true }
  | { ok: false; missing: 'root' | 'runtime' | 'overlayfs'; message: string; hint: string };

export interface RunSupportFacts {
  euid: number;
  /** Path of the runtime binary, or undefined when it is not on PATH. */
  runtimePath: string | undefined;
  runtime: string;
  /** Text of /proc/filesystems (empty when unreadable). */
  filesystems: string;
}

/** Pure: decides from the facts whether RUN steps can execute, and what to tell the user if not. */
export function decideRunSupport(f: RunSupportFacts): RunSupport {
  if (f.euid !== 0) {
    return {
      ok: false,
      missing: 'root',
      message: 'RUN steps need root: gantry mounts overlayfs and starts containers with runc',
      hint: 'Run gantry as root (e.g. sudo gantry build ...). Builds without RUN steps work unprivileged.',
    };
  }
  if (f.runtimePath === undefined) {
    return {
      ok: false,
      missing: 'runtime',
      message: `the container runtime "${f.runtime}" is not on PATH`,
      hint: f.runtime.includes('/')
        ? `Check the path given to --runtime (${f.runtime}) points at an executable.`
        : `Install it (Debian/Ubuntu: apt-get install ${f.runtime === 'crun' ? 'crun' : 'runc'}) or pass --runtime PATH.`,
    };
  }
  const hasOverlay = f.filesystems.split('\n').some((l) => l.trim().split(/\s+/).pop() === 'overlay');
  if (!hasOverlay) {
    return {
      ok: false,
      missing: 'overlayfs',
      message: 'the kernel has no overlay file system (not listed in /proc/filesystems)',
      hint: 'Load it with `modprobe overlay`; inside a container, run gantry privileged on a host kernel with overlayfs.',
    };
  }
  return { ok: true };
}

function readOrEmpty(p: string): string {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return '';
  }
}

/** Checks this machine: effective uid 0, the runtime binary on PATH, `overlay` in /proc/filesystems. */
export function checkRunSupport(opts: { runtime?: RuntimeName } = {}): RunSupport {
  const runtime = runtimeBinary(opts.runtime);
  return decideRunSupport({
    euid: process.geteuid?.() ?? -1,
    runtime,
    runtimePath: findExecutable(runtime),
    filesystems: readOrEmpty('/proc/filesystems'),
  });
}
