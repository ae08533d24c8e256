import { chmod, lchown, lutimes, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { LayerEntry } from '../../../image/layer-entry.ts';

/** One path of a test tree: a file (with `data`), a directory, or a symlink (with `target`). */
export interface TreeItem {
  path: string;
  data?: string | Buffer;
  dir?: boolean;
  target?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  mtime?: number;
}

export const isRoot = process.getuid?.() === 0;

/** Creates the items under `root` (parents as needed), in order. Ownership only as root. */
export async function makeTree(root: string, items: TreeItem[]): Promise<void> {
  for (const it of items) {
    const abs = join(root, it.path);
    await mkdir(dirname(abs), { recursive: true });
    if (it.target !== undefined) await symlink(it.target, abs);
    else if (it.dir === true) await mkdir(abs, { recursive: true });
    else await writeFile(abs, it.data ?? '');
    if (it.target === undefined) await chmod(abs, it.mode ?? (it.dir === true ? 0o755 : 0o644));
    if (isRoot && (it.uid !== undefined || it.gid !== undefined)) await lchown(abs, it.uid ?? 0, it.gid ?? 0);
    if (it.mtime !== undefined) await lutimes(abs, it.mtime, it.mtime);
  }
}

/** A temp directory for one test, removed by the returned function. */
export async function tempDir(prefix = 'copy-test-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * One line per entry, for comparing plans: `path type mode uid:gid` plus `-> target` for links
 * and `= content` for files (read from the source or the in-memory content).
 */
export async function describe(entries: readonly LayerEntry[]): Promise<string[]> {
  const { readFile } = await import('node:fs/promises');
  const out: string[] = [];
  for (const e of entries) {
    let line = `${e.path} ${e.type} ${e.mode.toString(8).padStart(4, '0')} ${e.uid}:${e.gid}`;
    if (e.type === 'symlink' || e.type === 'hardlink') line += ` -> ${e.linkname}`;
    if (e.type === 'file') {
      const data = e.content ?? (e.source === undefined ? Buffer.alloc(0) : await readFile(e.source));
      line += ` = ${data.toString('utf8')}`;
    }
    out.push(line);
  }
  return out;
}
