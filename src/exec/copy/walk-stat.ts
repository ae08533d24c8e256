import { constants, readdirSync } from 'node:fs';
import { compareNames } from '../../image/layer-entry.ts';
import { type LstatNumbers, lstatNumbers } from './lstat-numbers.ts';
import type { WalkMemo } from './types.ts';

const { S_IFMT, S_IFDIR, S_IFLNK, S_IFREG, S_IFIFO, S_IFCHR, S_IFBLK } = constants;

/**
 * What a walk of a source tree keeps of an lstat: plain numbers in one small object. Node 20's
 * `Stats` carries four `Date`s; a 20,000-file walk that keeps its stats (for the plan that
 * follows) would otherwise hand the garbage collector 100,000 long-lived objects.
 */
export class WalkStat {
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
  readonly nlink: number;
  readonly dev: number;
  readonly rdev: number;

  constructor(st: LstatNumbers) {
    this.mode = st.mode;
    this.uid = st.uid;
    this.gid = st.gid;
    this.size = st.size;
    this.mtimeMs = st.mtimeMs;
    this.ctimeMs = st.ctimeMs;
    this.ino = st.ino;
    this.nlink = st.nlink;
    this.dev = st.dev;
    this.rdev = st.rdev;
  }

  isDirectory(): boolean {
    return (this.mode & S_IFMT) === S_IFDIR;
  }
  isSymbolicLink(): boolean {
    return (this.mode & S_IFMT) === S_IFLNK;
  }
  isFile(): boolean {
    return (this.mode & S_IFMT) === S_IFREG;
  }
  isFIFO(): boolean {
    return (this.mode & S_IFMT) === S_IFIFO;
  }
  isCharacterDevice(): boolean {
    return (this.mode & S_IFMT) === S_IFCHR;
  }
  isBlockDevice(): boolean {
    return (this.mode & S_IFMT) === S_IFBLK;
  }
}

/** lstat through the memo (when given); undefined when the path does not exist. */
export function walkLstat(abs: string, memo: WalkMemo | undefined): WalkStat | undefined {
  let st = memo?.lstat.get(abs);
  if (st === undefined) {
    const raw = lstatNumbers(abs);
    if (raw === undefined) return undefined;
    st = new WalkStat(raw);
    memo?.lstat.set(abs, st);
  }
  return st;
}

/** A directory's entry names in byte order, through the memo (when given). */
export function walkNames(abs: string, memo: WalkMemo | undefined): string[] {
  let names = memo?.names.get(abs);
  if (names === undefined) {
    names = readdirSync(abs).sort(compareNames);
    memo?.names.set(abs, names);
  }
  return names;
}
