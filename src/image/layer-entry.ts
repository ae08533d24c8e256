/**
 * One entry of a layer, independent of where it came from (a directory walk, a tar, a COPY).
 *
 * `path` is relative, '/'-separated, without a leading '/' or './' and without a trailing '/'.
 * `mode` holds permission and special bits only (`mode & 0o7777`), never the file-type bits.
 * `mtime` is in whole seconds since the epoch.
 *
 * Whiteouts use the path of what they delete: `{ type: 'whiteout', path: 'etc/motd' }` is
 * written as `etc/.wh.motd`; `{ type: 'opaque', path: 'var/cache' }` as `var/cache/.wh..wh..opq`.
 */
export type LayerEntryType =
  | 'file'
  | 'dir'
  | 'symlink'
  | 'hardlink'
  | 'char'
  | 'block'
  | 'fifo'
  | 'whiteout'
  | 'opaque';

export interface LayerEntry {
  path: string;
  type: LayerEntryType;
  mode: number;
  uid: number;
  gid: number;
  mtime: number;
  /** Content length of a 'file'; 0 for every other type. */
  size: number;
  /** Symlink target text, or for 'hardlink' the layer path of the first link. */
  linkname?: string;
  devmajor?: number;
  devminor?: number;
  xattrs?: Record<string, Buffer>;
  /** Absolute file path to stream a 'file' entry's content from. */
  source?: string;
  /** `source`'s inode, size and mtime when it was looked at (for digest caches keyed on them). */
  sourceStat?: { ino: number; size: number; mtimeMs: number };
  /** A 'file' entry's content held in memory (small files, generated files). */
  content?: Buffer;
}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';

/** Byte-wise comparison of two names (UTF-8), the order Go's filepath.Walk and BuildKit use. */
export function compareNames(a: string, b: string): number {
  // Below U+D800, UTF-16 code units sort as UTF-8 bytes do: compare in place, and fall back to
  // encoding only for surrogates and the rest of the plane (a hot path when sorting big trees).
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 || y >= 0xd800) return Buffer.compare(Buffer.from(a.slice(i)), Buffer.from(b.slice(i)));
    return x - y;
  }
  return a.length - b.length;
}

const TYPE_RANK: Partial<Record<LayerEntryType, number>> = { dir: 0, opaque: 1 };

/**
 * Layer order: component by component in byte order, so a directory comes before everything
 * below it and siblings are sorted by name (the order entriesFromDirectory yields); a directory's
 * opaque marker follows the directory itself.
 */
export function compareEntries(a: LayerEntry, b: LayerEntry): number {
  const pa = a.path.split('/');
  const pb = b.path.split('/');
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const c = compareNames(pa[i] ?? '', pb[i] ?? '');
    if (c !== 0) return c;
  }
  if (pa.length !== pb.length) return pa.length - pb.length;
  return (TYPE_RANK[a.type] ?? 2) - (TYPE_RANK[b.type] ?? 2);
}

/** The name an entry has inside a tar: whiteouts become `.wh.` files, directories end in '/'. */
export function tarNameOf(entry: LayerEntry): string {
  const slash = entry.path.lastIndexOf('/');
  const dir = slash === -1 ? '' : entry.path.slice(0, slash + 1);
  const base = entry.path.slice(slash + 1);
  switch (entry.type) {
    case 'whiteout':
      return `${dir}${WHITEOUT_PREFIX}${base}`;
    case 'opaque':
      return `${entry.path}/${OPAQUE_MARKER}`;
    case 'dir':
      return `${entry.path}/`;
    default:
      return entry.path;
  }
}
