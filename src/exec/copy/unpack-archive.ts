import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { LayerEntry } from '../../image/layer-entry.ts';
import { WHITEOUT_PREFIX } from '../../image/layer-entry.ts';
import { readTar } from '../../image/read-tar.ts';
import { cleanComponents } from '../../image/resolve-in-root.ts';
import { TypeFlag } from '../../image/tar-header.ts';
import type { CreatedDirMeta, DestTree } from './dest-tree.ts';
import { openDecompressed } from './open-archive.ts';
import type { TempFiles } from './temp-files.ts';
import type { Owner } from './types.ts';

export interface UnpackOptions {
  tree: DestTree;
  /** The archive file on the host. */
  archive: string;
  /** The directory to extract into (relative, resolved). */
  destRel: string;
  owner: Owner | undefined;
  temp: TempFiles;
  /** Time for directories created on the way. */
  now: number;
  warnings: string[];
}

async function drain(body: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of body) {
    // skip
  }
}

/**
 * Plans the members of a local tar archive (ADD) as entries under `destRel`, with moby's
 * Untar rules: names are confined to the destination ('..' and '/' cannot leave it), owners come
 * from the archive unless `--chown` is given, missing parents are created 0755 root-owned, and
 * a member replaces whatever the destination had at its path. Member contents are spooled to
 * temp files; whiteout-named members are skipped (they would delete files in the image).
 */
export async function unpackArchive(opts: UnpackOptions): Promise<void> {
  const { tree, destRel } = opts;
  const created: CreatedDirMeta = {
    mode: 0o755,
    uid: opts.owner?.uid ?? 0,
    gid: opts.owner?.gid ?? 0,
    mtime: opts.now,
  };
  await tree.mkdirAll(destRel, created);
  const parentMeta: CreatedDirMeta = { mode: 0o755, uid: 0, gid: 0, mtime: opts.now };
  const under = (parts: string[]): string => [...(destRel === '' ? [] : [destRel]), ...parts].join('/');
  const resolvedDirs = new Map<string, string>();
  async function placeIn(parts: string[]): Promise<string> {
    const parent = under(parts.slice(0, -1));
    let dir = resolvedDirs.get(parent);
    if (dir === undefined) {
      dir = await tree.resolveDir(parent, destRel);
      await tree.mkdirAll(dir, parentMeta);
      resolvedDirs.set(parent, dir);
    }
    const base = parts[parts.length - 1] as string;
    return dir === '' ? base : `${dir}/${base}`;
  }
  for await (const { header: h, body } of readTar(await openDecompressed(opts.archive))) {
    const parts = cleanComponents(h.name);
    const base = parts[parts.length - 1];
    const meta = {
      mode: h.mode & 0o7777,
      uid: opts.owner?.uid ?? h.uid,
      gid: opts.owner?.gid ?? h.gid,
      mtime: h.mtime,
      size: 0,
    };
    if (base === undefined) {
      if (h.typeflag === TypeFlag.dir && destRel !== '') tree.set({ ...meta, path: destRel, type: 'dir' });
      await drain(body);
      continue;
    }
    if (base.startsWith(WHITEOUT_PREFIX)) {
      opts.warnings.push(`archive member ${h.name} skipped: a whiteout name would delete files in the image`);
      await drain(body);
      continue;
    }
    const path = await placeIn(parts);
    // A member may turn a directory into a symlink or file: forget what was resolved through it.
    if (h.typeflag === TypeFlag.symlink || (h.typeflag !== TypeFlag.dir && tree.get(path)?.type === 'dir')) {
      resolvedDirs.clear();
    }
    let entry: LayerEntry | undefined;
    switch (h.typeflag) {
      case TypeFlag.file:
      case '7': {
        const tmp = await opts.temp.next(base);
        await pipeline(body, createWriteStream(tmp, { mode: 0o600 }));
        entry = { ...meta, path, type: 'file', size: h.size, source: tmp };
        break;
      }
      case TypeFlag.dir:
        entry = { ...meta, path, type: 'dir' };
        break;
      case TypeFlag.symlink:
        entry = { ...meta, path, type: 'symlink', linkname: h.linkname };
        break;
      case TypeFlag.hardlink: {
        const target = cleanComponents(h.linkname);
        if (target.length === 0) opts.warnings.push(`archive member ${h.name} skipped: hardlink to the root`);
        else entry = { ...meta, path, type: 'hardlink', linkname: await placeIn(target) };
        break;
      }
      case TypeFlag.char:
      case TypeFlag.block:
        entry = {
          ...meta,
          path,
          type: h.typeflag === TypeFlag.char ? 'char' : 'block',
          devmajor: h.devmajor,
          devminor: h.devminor,
        };
        break;
      case TypeFlag.fifo:
        entry = { ...meta, path, type: 'fifo' };
        break;
      default:
        opts.warnings.push(
          `archive member ${h.name} skipped: unsupported tar type ${JSON.stringify(h.typeflag)}`,
        );
    }
    if (entry !== undefined) {
      if (Object.keys(h.xattrs).length > 0) entry.xattrs = h.xattrs;
      tree.set(entry);
    }
    await drain(body);
  }
}
