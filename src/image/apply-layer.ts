import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  openSync,
  type Stats,
  symlinkSync,
  writeSync,
} from 'node:fs';
import { chmod, lstat, lutimes, mkdir, readdir, realpath, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { GantryError } from '../errors/gantry-error.ts';
import { decompressed } from './decompress.ts';
import { OPAQUE_MARKER, WHITEOUT_PREFIX } from './layer-entry.ts';
import { mknod } from './mknod.ts';
import { readTar, type TarEntryHeader } from './read-tar.ts';
import { cleanComponents, resolveDirInRoot } from './resolve-in-root.ts';
import { restoreXattrs } from './restore-xattrs.ts';
import { TypeFlag } from './tar-header.ts';

export interface ApplyLayerOptions {
  /** Running as root: set ownership, create device nodes, set every xattr namespace. */
  isRoot: boolean;
  /**
   * 'apply' (default): whiteouts delete what lower layers put in `destRoot`. 'overlay': the layer
   * is unpacked alone into a snapshot used as an overlayfs lower dir, so whiteouts become 0/0
   * character devices and opaque markers the `trusted.overlay.opaque=y` xattr (needs root).
   */
  whiteouts?: 'apply' | 'overlay';
}

export interface ApplyLayerResult {
  /** Entries skipped on purpose (devices without root, a layer replacing the root, ...). */
  warnings: string[];
}

async function lstatOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function lstatSyncOrUndefined(path: string): Stats | undefined {
  return lstatSync(path, { throwIfNoEntry: false });
}

async function drain(body: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of body) {
    // discard
  }
}

/** Removes everything below `dir` that this layer did not itself write (an opaque directory). */
async function removeLowerChildren(dir: string, written: Set<string>): Promise<void> {
  for (const name of await readdir(dir)) {
    const abs = join(dir, name);
    if (!written.has(abs)) {
      await rm(abs, { recursive: true, force: true });
      continue;
    }
    const st = await lstat(abs);
    if (st.isDirectory()) await removeLowerChildren(abs, written);
  }
}

/** True when `abs`'s parent still resolves to itself (no symlink was swapped in since). */
async function parentUnchanged(abs: string): Promise<boolean> {
  try {
    return (await realpath(dirname(abs))) === dirname(abs);
  } catch {
    return false;
  }
}

/**
 * Unpacks a layer tar (gzip auto-detected) onto `destRoot`, honouring whiteouts, and keeps every
 * write inside `destRoot` as if it were chrooted there: '..' stops at the root, absolute paths
 * are taken relative to it, and symlinks met on the way are resolved under it, never outside.
 */
export async function applyLayer(
  tar: Readable | AsyncIterable<Uint8Array>,
  destRoot: string,
  options: ApplyLayerOptions,
): Promise<ApplyLayerResult> {
  const overlay = options.whiteouts === 'overlay';
  if (overlay && !options.isRoot)
    throw new Error('applyLayer: overlay whiteouts need root (mknod, trusted.* xattrs)');
  await mkdir(destRoot, { recursive: true });
  const root = await realpath(destRoot);
  const warnings: string[] = [];
  const written = new Set<string>();
  const dirMeta: { abs: string; mode: number; mtime: number }[] = [];
  const xattrs: { path: string; xattrs: Record<string, Buffer> }[] = [];
  const parentCache = new Map<string, string>();

  async function parentOf(parts: string[]): Promise<string> {
    const key = parts.join('/');
    const cached = parentCache.get(key);
    if (cached !== undefined) return cached;
    const real = (await resolveDirInRoot(root, parts, { create: true })) as string;
    parentCache.set(key, real);
    return real;
  }

  async function remove(abs: string): Promise<void> {
    await rm(abs, { recursive: true, force: true });
    parentCache.clear();
  }

  function setMetadata(abs: string, h: TarEntryHeader, isLink: boolean): void {
    if (options.isRoot) lchownSync(abs, h.uid, h.gid);
    if (!isLink) chmodSync(abs, h.mode & 0o7777);
    lutimesSync(abs, h.mtime, h.mtime);
    if (!isLink) collectXattrs(abs, h);
  }

  /** An overlayfs whiteout: a 0/0 character device where the deleted path was. */
  async function overlayWhiteout(abs: string, h: TarEntryHeader): Promise<void> {
    await remove(abs);
    await mknod(abs, ['c', '0', '0'], h.name);
    lchownSync(abs, h.uid, h.gid);
    written.add(abs);
  }

  /**
   * Creates the file (never through a symlink), writes its content as it arrives, sets metadata
   * on the open fd. The calls are synchronous: a layer is mostly small files, and a round trip
   * through the thread pool per call (~8 per file) made a 20,000-file layer take ~30 s to unpack.
   * The event loop still runs between chunks of the tar.
   */
  async function writeFileEntry(abs: string, h: TarEntryHeader, body: AsyncIterable<Buffer>): Promise<void> {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    const fd = openSync(abs, flags, 0o600);
    try {
      let at = 0;
      for await (const chunk of body) {
        let off = 0;
        while (off < chunk.length) off += writeSync(fd, chunk, off, chunk.length - off, at + off);
        at += chunk.length;
      }
      if (options.isRoot) fchownSync(fd, h.uid, h.gid);
      fchmodSync(fd, h.mode & 0o7777);
      futimesSync(fd, h.mtime, h.mtime);
    } finally {
      closeSync(fd);
    }
    collectXattrs(abs, h);
  }

  function collectXattrs(abs: string, h: TarEntryHeader): void {
    const allowed: Record<string, Buffer> = {};
    for (const [k, v] of Object.entries(h.xattrs)) {
      if (options.isRoot || k.startsWith('user.')) allowed[k] = v;
      else warnings.push(`${abs}: xattr ${k} skipped (needs root)`);
    }
    if (Object.keys(allowed).length > 0) xattrs.push({ path: abs, xattrs: allowed });
  }

  async function unpackEntries(): Promise<void> {
    for await (const { header: h, body } of readTar(decompressed(tar))) {
      const parts = cleanComponents(h.name);
      if (parts[0]?.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`) === true && parts.length > 1) {
        // Below an aufs metadata directory (`.wh..wh.plnk/...`): skipped, as Docker does.
        await drain(body);
        continue;
      }
      const base = parts.pop();
      if (base === undefined) {
        if (h.typeflag === TypeFlag.dir) dirMeta.push({ abs: root, mode: h.mode, mtime: h.mtime });
        else warnings.push(`entry ${JSON.stringify(h.name)} would replace the root directory; skipped`);
        await drain(body);
        continue;
      }
      const parent = await parentOf(parts);
      if (base === OPAQUE_MARKER && overlay) {
        xattrs.push({ path: parent, xattrs: { 'trusted.overlay.opaque': Buffer.from('y') } });
        await drain(body);
        continue;
      }
      if (base === OPAQUE_MARKER) {
        await removeLowerChildren(parent, written);
        parentCache.clear();
        await drain(body);
        continue;
      }
      if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) {
        // Other `.wh..wh.` names are aufs bookkeeping (`.wh..wh.plnk`, ...), not whiteouts: ignored, as Docker does.
        await drain(body);
        continue;
      }
      if (base.startsWith(WHITEOUT_PREFIX)) {
        const victim = base.slice(WHITEOUT_PREFIX.length);
        if (victim === '' || victim === '.' || victim === '..')
          warnings.push(`invalid whiteout ${h.name}; skipped`);
        else if (overlay) await overlayWhiteout(join(parent, victim), h);
        else await remove(join(parent, victim));
        await drain(body);
        continue;
      }
      const abs = join(parent, base);
      const existing = lstatSyncOrUndefined(abs);
      const isDir = h.typeflag === TypeFlag.dir;
      if (existing !== undefined && !(isDir && existing.isDirectory())) await remove(abs);
      written.add(abs);
      switch (h.typeflag) {
        case TypeFlag.dir:
          if (existing === undefined || !existing.isDirectory()) mkdirSync(abs, { mode: 0o700 });
          if (options.isRoot) lchownSync(abs, h.uid, h.gid);
          dirMeta.push({ abs, mode: h.mode, mtime: h.mtime });
          collectXattrs(abs, h);
          await drain(body);
          continue;
        case TypeFlag.file:
        case '7': {
          await writeFileEntry(abs, h, body);
          continue;
        }
        case TypeFlag.symlink:
          symlinkSync(h.linkname, abs);
          setMetadata(abs, h, true);
          await drain(body);
          continue;
        case TypeFlag.hardlink: {
          const targetParts = cleanComponents(h.linkname);
          const targetBase = targetParts.pop();
          const targetDir = targetBase === undefined ? undefined : await resolveDirInRoot(root, targetParts);
          const target =
            targetDir === undefined || targetBase === undefined ? undefined : join(targetDir, targetBase);
          const st = target === undefined ? undefined : lstatSyncOrUndefined(target);
          if (target === undefined || st === undefined || st.isDirectory()) {
            throw new GantryError(
              'E_LAYER_LINK_TARGET',
              `hardlink ${h.name} points at ${h.linkname}, which is not a file in the image`,
              {
                hint: 'the layer is corrupt or was built for other parent layers',
              },
            );
          }
          linkSync(target, abs);
          await drain(body);
          continue;
        }
        case TypeFlag.char:
        case TypeFlag.block:
        case TypeFlag.fifo: {
          if (h.typeflag !== TypeFlag.fifo && !options.isRoot) {
            warnings.push(`device node ${h.name} skipped (creating devices needs root)`);
            written.delete(abs);
            await drain(body);
            continue;
          }
          const kind = h.typeflag === TypeFlag.char ? 'c' : h.typeflag === TypeFlag.block ? 'b' : 'p';
          await mknod(abs, kind === 'p' ? ['p'] : [kind, String(h.devmajor), String(h.devminor)], h.name);
          setMetadata(abs, h, false);
          await drain(body);
          continue;
        }
        default:
          warnings.push(`entry ${h.name} has unsupported tar type ${JSON.stringify(h.typeflag)}; skipped`);
          written.delete(abs);
          await drain(body);
      }
    }
  }

  try {
    await unpackEntries();
  } finally {
    if ('destroy' in tar && typeof tar.destroy === 'function') tar.destroy();
  }

  const safeXattrs = [];
  for (const item of xattrs) {
    if (await parentUnchanged(item.path)) safeXattrs.push(item);
    else warnings.push(`${item.path}: moved below a symlink later in the layer; xattrs skipped`);
  }
  await restoreXattrs(safeXattrs);
  for (const d of dirMeta.reverse()) {
    if (d.abs !== root && !(await parentUnchanged(d.abs))) continue;
    const st = await lstatOrUndefined(d.abs);
    if (st === undefined || !st.isDirectory()) continue;
    await chmod(d.abs, d.mode & 0o7777);
    await lutimes(d.abs, d.mtime, d.mtime);
  }
  return { warnings };
}
