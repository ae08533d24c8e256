import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import type { LayerEntry } from '../../image/layer-entry.ts';
import type { HashCache } from './types.ts';

const VERSION = 'gantry-copy-content-v1\n';
const CONCURRENCY = 8;
const SMALL_FILE = 256 * 1024;

async function hashStream(path: string, size: number): Promise<string> {
  const h = createHash('sha256');
  // Small files in one synchronous read: far cheaper than a stream per file for big contexts.
  if (size <= SMALL_FILE) return h.update(readFileSync(path)).digest('hex');
  if (size > 0) {
    for await (const chunk of createReadStream(path, { start: 0, end: size - 1, highWaterMark: 1 << 20 })) {
      h.update(chunk as Buffer);
    }
  }
  return h.digest('hex');
}

/** sha256 (hex) of a file entry's content, through `cache` when the file's stat is unchanged. */
export async function fileDigest(entry: LayerEntry, cache: HashCache | undefined): Promise<string> {
  if (entry.content !== undefined) return createHash('sha256').update(entry.content).digest('hex');
  const path = entry.source;
  if (path === undefined) throw new Error(`file entry ${entry.path} has neither source nor content`);
  if (cache === undefined) return hashStream(path, entry.size);
  const st = entry.sourceStat ?? statSync(path);
  const key = { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs };
  const hit = await cache.get(path, key);
  if (hit !== undefined) return hit;
  const digest = await hashStream(path, entry.size);
  await cache.set(path, key, digest);
  return digest;
}

/**
 * The step's content key: sha256 over each entry's path, type, mode, owner, link target, device
 * numbers, xattrs and content digest, in layer order. Mtimes are left out, so touching a file
 * without changing it keeps the cache hit (as BuildKit's content hash).
 */
export async function contentKey(entries: readonly LayerEntry[], cache?: HashCache): Promise<string> {
  const digests = new Array<string>(entries.length).fill('');
  let next = 0;
  async function worker(): Promise<void> {
    for (;;) {
      const i = next++;
      if (i >= entries.length) return;
      const e = entries[i] as LayerEntry;
      if (e.type === 'file') digests[i] = await fileDigest(e, cache);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, entries.length) }, () => worker()));
  const h = createHash('sha256').update(VERSION);
  // One hash update per ~64 KiB of records: 20,000 tiny updates cost more than the hashing.
  let batch = '';
  entries.forEach((e, i) => {
    const xattrs =
      e.xattrs === undefined
        ? []
        : Object.entries(e.xattrs)
            .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
            .map(([k, v]) => [k, v.toString('base64')]);
    // The text of JSON.stringify([path, type, mode, uid, gid, linkname, devmajor, devminor,
    // digest, xattrs]), written out: the type and the hex digest need no escaping.
    const record = `[${JSON.stringify(e.path)},"${e.type}",${e.mode},${e.uid},${e.gid},${JSON.stringify(e.linkname ?? '')},${e.devmajor ?? 0},${e.devminor ?? 0},"${digests[i]}",${xattrs.length === 0 ? '[]' : JSON.stringify(xattrs)}]`;
    batch += `${record}\n`;
    if (batch.length >= 65536) {
      h.update(batch);
      batch = '';
    }
  });
  h.update(batch);
  return h.digest('hex');
}
