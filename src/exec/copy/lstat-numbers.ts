import { lstatSync } from 'node:fs';

/** What a walk keeps of an lstat. `fs.Stats` has these fields too. */
export interface LstatNumbers {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  nlink: number;
  dev: number;
  rdev: number;
}

/** node's own lstat: the numbers in a shared Float64Array (or undefined when absent), no Stats. */
type BindingLstat = (path: string, bigint: false, req: undefined, throwIfNoEntry: boolean) => unknown;

const FIELDS = ['mode', 'uid', 'gid', 'size', 'mtimeMs', 'ctimeMs', 'ino', 'nlink', 'dev', 'rdev'] as const;

/** The layout node 20 fills: dev, mode, nlink, uid, gid, rdev, blksize, ino, size, blocks, then seconds and nanoseconds of atime, mtime, ctime, birthtime. */
function fromValues(v: Float64Array): LstatNumbers {
  return {
    dev: v[0]!,
    mode: v[1]!,
    nlink: v[2]!,
    uid: v[3]!,
    gid: v[4]!,
    rdev: v[5]!,
    ino: v[7]!,
    size: v[8]!,
    mtimeMs: v[12]! * 1e3 + v[13]! / 1e6,
    ctimeMs: v[14]! * 1e3 + v[15]! / 1e6,
  };
}

let checked: BindingLstat | null | undefined;

/**
 * node's binding, if it is there and agrees with `lstatSync` on this node (checked once, on
 * files, a directory and a missing path), else null. `process.binding` is deprecated but kept
 * by node 20; under --pending-deprecation, where using it would print a warning, it is not used.
 */
function bindingLstat(): BindingLstat | null {
  if (checked !== undefined) return checked;
  checked = null;
  const pending = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  if (pending.includes('--pending-deprecation') || process.env.NODE_PENDING_DEPRECATION === '1') return null;
  try {
    const binding = (process as unknown as { binding(name: string): { lstat?: unknown } }).binding('fs');
    const lstat = binding.lstat;
    if (typeof lstat !== 'function') return null;
    const candidate: BindingLstat = (path, bigint, req, throwIfNoEntry) =>
      Reflect.apply(lstat, binding, [path, bigint, req, throwIfNoEntry]);
    for (const path of [process.execPath, '/', '/proc/self/exe']) {
      const want = lstatSync(path);
      const got = candidate(path, false, undefined, true);
      if (!(got instanceof Float64Array) || got.length < 16) return null;
      const numbers = fromValues(got);
      if (FIELDS.some((f) => numbers[f] !== want[f])) return null;
    }
    if (candidate(`/${process.pid}-gantry-absent/x`, false, undefined, false) !== undefined) return null;
    checked = candidate;
  } catch {
    checked = null;
  }
  return checked;
}

/**
 * lstat, the numbers only; undefined when the path does not exist. A walk of 20,000 paths is
 * mostly lstat, and node 20's `lstatSync` builds a `Stats` with four `Date`s per call: this reads
 * node's binding instead where it is proven equal, and falls back to `lstatSync`.
 */
export function lstatNumbers(path: string): LstatNumbers | undefined {
  const fast = bindingLstat();
  if (fast === null) return lstatSync(path, { throwIfNoEntry: false });
  const v = fast(path, false, undefined, false);
  return v === undefined ? undefined : fromValues(v as Float64Array);
}
