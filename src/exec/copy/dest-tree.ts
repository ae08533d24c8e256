import { lstatSync, type Stats } from 'node:fs';
import { readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../../errors/gantry-error.ts';
import { compareNames, type LayerEntry } from '../../image/layer-entry.ts';

/** Mode and owner of directories a copy creates on its own (missing parents of the destination). */
export interface CreatedDirMeta {
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
}

export type DestKind = 'dir' | 'other' | undefined;

function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i === -1 ? '' : rel.slice(0, i);
}

/**
 * Component-wise byte order of two relative paths ('a/b' before 'a-c'): the order of the strings
 * with '/' ranked below every other character, so no path is split to compare it.
 */
export function compareRel(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x === 0x2f) return -1;
    if (y === 0x2f) return 1;
    if (x >= 0xd800 || y >= 0xd800) {
      // Outside the BMP's lower part UTF-16 order is not byte order: compare what is left by component.
      const as = a.slice(i).split('/');
      const bs = b.slice(i).split('/');
      const m = Math.min(as.length, bs.length);
      for (let j = 0; j < m; j++) {
        const c = compareNames(as[j] as string, bs[j] as string);
        if (c !== 0) return c;
      }
      return as.length - bs.length;
    }
    return x - y;
  }
  return a.length - b.length;
}

/**
 * The destination as the copy sees it: what earlier parts of this step planned (the layer's
 * entries, by relative path) over what the destination rootfs already holds (`destRoot`,
 * undefined for scratch or `--link`). Paths are relative, '/'-separated, '' is the root. The
 * caller resolves symlinks of the destination prefix first, so every existing ancestor met here
 * is a real directory.
 */
export class DestTree {
  private readonly planned = new Map<string, LayerEntry>();
  /** Paths found absent in the destination: nothing below them exists there either. */
  private readonly absent = new Set<string>();

  constructor(
    private readonly destRoot: string | undefined,
    private readonly createdDir: CreatedDirMeta,
  ) {}

  /** The planned entry at `rel`, if any. */
  get(rel: string): LayerEntry | undefined {
    return this.planned.get(rel);
  }

  /**
   * What exists at `rel` in the destination image, or undefined. Synchronous and without
   * exceptions for missing paths: a big COPY asks this for every destination path, most of
   * which do not exist yet.
   */
  private lstatExisting(rel: string): Stats | undefined {
    if (this.destRoot === undefined) return undefined;
    for (let p = parentOf(rel); p !== ''; p = parentOf(p)) if (this.absent.has(p)) return undefined;
    let st: Stats | undefined;
    try {
      st = lstatSync(rel === '' ? this.destRoot : join(this.destRoot, rel), { throwIfNoEntry: false });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOTDIR') throw e;
    }
    if (st === undefined) this.absent.add(rel);
    return st;
  }

  /** What is at `rel` (not following a final symlink: a symlink is 'other'). */
  kind(rel: string): DestKind {
    if (rel === '') return 'dir';
    const own = this.planned.get(rel);
    if (own !== undefined) return own.type === 'dir' ? 'dir' : 'other';
    for (let p = parentOf(rel); p !== ''; p = parentOf(p)) {
      const anc = this.planned.get(p);
      if (anc !== undefined) {
        if (anc.type !== 'dir') return undefined;
        break;
      }
    }
    const st = this.lstatExisting(rel);
    if (st === undefined) return undefined;
    return st.isDirectory() ? 'dir' : 'other';
  }

  /**
   * Resolves directory path `rel` as an extraction chrooted at `base` would (moby's
   * chrootarchive): symlinks (planned ones first, then the destination's) are followed, an
   * absolute target restarts at `base` and '..' stops there; missing components are kept as
   * written. A non-directory on the way is E_COPY_NOT_DIR.
   */
  async resolveDir(rel: string, base = ''): Promise<string> {
    const split = (p: string): string[] => p.split('/').filter((c) => c !== '' && c !== '.');
    const baseParts = split(base);
    const done = [...baseParts];
    const inBase =
      rel === base ? '' : base === '' ? rel : rel.startsWith(`${base}/`) ? rel.slice(base.length + 1) : rel;
    let todo = split(inBase);
    let links = 0;
    while (todo.length > 0) {
      const [name, ...rest] = todo as [string, ...string[]];
      todo = rest;
      if (name === '..') {
        if (done.length > baseParts.length) done.pop();
        continue;
      }
      const p = [...done, name].join('/');
      let linkTarget: string | undefined;
      const own = this.planned.get(p);
      if (own !== undefined) {
        if (own.type === 'symlink') linkTarget = own.linkname ?? '';
        else if (own.type !== 'dir') throw this.notDir(rel, p);
      } else if (this.kind(p) !== undefined) {
        const st = this.lstatExisting(p);
        if (st?.isSymbolicLink() === true) linkTarget = await readlink(join(this.destRoot as string, p));
        else if (st !== undefined && !st.isDirectory()) throw this.notDir(rel, p);
      } else {
        done.push(name);
        for (const c of todo) {
          if (c !== '..') done.push(c);
          else if (done.length > baseParts.length) done.pop();
        }
        break;
      }
      if (linkTarget === undefined) {
        done.push(name);
        continue;
      }
      if (++links > 255) {
        throw new GantryError('E_COPY_SYMLINK_LOOP', `too many levels of symbolic links resolving /${rel}`, {
          hint: 'The destination has a symlink loop on this path.',
        });
      }
      if (linkTarget.startsWith('/')) done.length = baseParts.length;
      todo = [...split(linkTarget), ...todo];
    }
    return done.join('/');
  }

  private notDir(rel: string, p: string): GantryError {
    return new GantryError(
      'E_COPY_NOT_DIR',
      `cannot create directory /${rel}: /${p} exists and is not a directory`,
      {
        hint: 'The destination path runs through a file; copy to another path or remove it first.',
      },
    );
  }

  /** Plans `entry`; a non-directory replacing a planned directory drops what was planned below it. */
  set(entry: LayerEntry): void {
    const old = this.planned.get(entry.path);
    if (old?.type === 'dir' && entry.type !== 'dir') {
      const prefix = `${entry.path}/`;
      for (const key of [...this.planned.keys()]) if (key.startsWith(prefix)) this.planned.delete(key);
    }
    this.planned.set(entry.path, entry);
  }

  /** The metadata `rel` has now (planned, else in the destination), for a directory kept as is. */
  currentDir(rel: string): LayerEntry {
    const own = this.planned.get(rel);
    if (own !== undefined) return own;
    const st = this.lstatExisting(rel);
    if (st === undefined) return { path: rel, type: 'dir', size: 0, ...this.createdDir };
    return {
      path: rel,
      type: 'dir',
      mode: Number(st.mode) & 0o7777,
      uid: Number(st.uid),
      gid: Number(st.gid),
      mtime: Math.floor(Number(st.mtimeMs) / 1000),
      size: 0,
    };
  }

  /**
   * `mkdir -p rel`: plans every missing directory with `meta` (default: the created-dir metadata). A non-directory
   * on the way is an error (as BuildKit's MkdirAll: ENOTDIR).
   */
  mkdirAll(rel: string, meta: CreatedDirMeta = this.createdDir): void {
    if (rel === '') return;
    const parts = rel.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const p = parts.slice(0, i).join('/');
      const k = this.kind(p);
      if (k === 'dir') continue;
      if (k === 'other') {
        throw new GantryError(
          'E_COPY_NOT_DIR',
          `cannot create directory /${rel}: /${p} exists and is not a directory`,
          {
            hint: 'The destination path runs through a file or symlink; copy to another path or remove it first.',
          },
        );
      }
      this.set({ path: p, type: 'dir', size: 0, ...meta });
    }
  }

  /** The layer's entries: planned ones plus their existing ancestors, parents first, byte order. */
  entries(): LayerEntry[] {
    for (const key of [...this.planned.keys()]) {
      for (let p = parentOf(key); p !== ''; p = parentOf(p)) {
        if (this.planned.has(p)) continue;
        this.planned.set(p, this.currentDir(p));
      }
    }
    return [...this.planned.values()].sort((a, b) => compareRel(a.path, b.path));
  }
}
