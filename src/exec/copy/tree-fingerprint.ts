import { createHash } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { confine, relOf } from './dest-path.ts';
import { containsWildcards } from './go-match.ts';
import { isIgnored, walkVerdict } from './ignored.ts';
import type { CopySource } from './types.ts';
import { type WalkStat, walkLstat, walkNames } from './walk-stat.ts';

const VERSION = 'gantry-tree-fingerprint-v2\n';

/** Records are collected in a buffer of this size and hashed a buffer at a time. */
const BATCH = 64 << 10;

export interface TreeFingerprintRequest {
  source: CopySource;
  /** The COPY's sources as written (after variable expansion). */
  sources: readonly string[];
  /** Whatever else of the request decides the content key (chmod, ...), as one string. */
  salt: string;
}

/**
 * A fingerprint of exactly what a context COPY of plain paths could read: for every path below
 * each source (minus what `.dockerignore` drops), its name, type, mode and owner, and for a
 * non-directory its size, mtime, ctime, inode and link count, and a symlink's target. Equal fingerprints mean the copy would
 * see the same files (content included, as far as (inode, size, mtime, ctime) tell, which is
 * what the hash cache trusts too), so the content key computed the last time still holds and
 * a no-op rebuild needs no plan at all.
 *
 * Returns undefined when the request is not one this covers (wildcards, a source that is
 * missing, ignored or reached through a symlink): the caller plans the copy as usual. The
 * stats and listings go into `source.walkMemo`, so a plan that follows reuses them.
 */
export function treeFingerprint(req: TreeFingerprintRequest): string | undefined {
  const { source } = req;
  const memo = source.walkMemo;
  const lstatOf = (p: string): WalkStat | undefined => walkLstat(p, memo);
  const namesOf = (p: string): string[] => walkNames(p, memo);
  const abs = (rel: string): string => (rel === '' ? source.root : join(source.root, rel));

  const h = createHash('sha256')
    .update(VERSION)
    .update(`${JSON.stringify([req.sources, req.salt])}\n`);
  // Binary records (a tag, length-prefixed UTF-8, float64 numbers): the walk's cost is one
  // lstat per path, and turning ~10 numbers a path into decimal text would cost about as much.
  const buf = Buffer.allocUnsafe(BATCH);
  let pos = 0;
  const room = (bytes: number): void => {
    if (pos + bytes > BATCH) {
      h.update(buf.subarray(0, pos));
      pos = 0;
    }
  };
  const text = (tag: number, value: string): void => {
    room(5 + value.length * 3); // UTF-8 takes at most 3 bytes per UTF-16 unit
    buf[pos] = tag;
    const n = buf.write(value, pos + 5, 'utf8');
    buf.writeUInt32LE(n, pos + 1);
    pos += 5 + n;
  };
  const numbers = (...values: number[]): void => {
    room(8 * values.length);
    for (const v of values) pos = buf.writeDoubleLE(v, pos);
  };
  const T_SOURCE = 0x73; // s
  const T_DIR = 0x64; // d
  const T_IGNORED_DIR = 0x69; // i: an ignored directory walked for `!` rules
  const T_OTHER = 0x66; // f: anything but a directory
  const T_LINK = 0x3e; // >: a symlink's target

  let vanished = false;
  function visit(rel: string, st: WalkStat, ignored: boolean): void {
    // A directory's size and times change with any entry added or removed, ignored ones too,
    // and are not part of the content key: only its mode and owner count.
    if (st.isDirectory()) {
      text(ignored ? T_IGNORED_DIR : T_DIR, rel);
      numbers(st.mode, st.uid, st.gid);
    } else {
      text(T_OTHER, rel);
      numbers(st.mode, st.uid, st.gid, st.size, st.mtimeMs, st.ctimeMs, st.ino, st.nlink);
      if (st.isSymbolicLink()) text(T_LINK, readlinkSync(abs(rel), 'utf8'));
      return;
    }
    const dir = abs(rel);
    // `dir` is normalized and `name` one component: the same string path.join would make, cheaper.
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    for (const name of namesOf(dir)) {
      const child = rel === '' ? name : `${rel}/${name}`;
      const cst = lstatOf(prefix + name);
      if (cst === undefined) {
        vanished = true; // changed while walking: no fingerprint, the plan sees what is there
        return;
      }
      const verdict = walkVerdict(source, child, cst.isDirectory());
      if (verdict !== 'skip') visit(child, cst, verdict === 'descend');
    }
  }

  for (const src of req.sources) {
    const p = confine(src);
    if (containsWildcards(p)) return undefined;
    const rel = relOf(p);
    // Every component must be a real directory (or the final path any non-symlink): symlinks are
    // followed inside the root by the plan, which this walk does not imitate.
    const parts = rel === '' ? [] : rel.split('/');
    let st = lstatOf(source.root);
    for (let i = 0; i < parts.length && st !== undefined; i++) {
      if (!st.isDirectory()) return undefined;
      st = lstatOf(abs(parts.slice(0, i + 1).join('/')));
    }
    if (st === undefined || st.isSymbolicLink()) return undefined;
    if (isIgnored(source, rel, st.isDirectory())) return undefined;
    text(T_SOURCE, rel);
    visit(rel, st, false);
  }
  if (vanished) return undefined;
  h.update(buf.subarray(0, pos));
  return h.digest('hex');
}
