import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStatKey, HashCache } from '../exec/copy/types.ts';

interface HashFile {
  version: 1;
  /** Absolute path → [inode, size, mtimeMs, content digest]. */
  entries: Record<string, [number, number, number, string]>;
}

/**
 * Remembers the content digest of every context file by (inode, size, mtime), in
 * `<store>/hashes/<sha256(context dir)>.json`, so that a rebuild only stats unchanged files.
 * A missing or unreadable file just means an empty cache.
 */
export async function loadHashCache(
  storeRoot: string,
  contextDir: string,
): Promise<{ cache: HashCache; save(): Promise<void> }> {
  const dir = join(storeRoot, 'hashes');
  const file = join(dir, `${createHash('sha256').update(contextDir).digest('hex')}.json`);
  let data: HashFile = { version: 1, entries: {} };
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as HashFile;
    if (parsed.version === 1 && parsed.entries && typeof parsed.entries === 'object') data = parsed;
  } catch {
    // absent or damaged: start empty
  }
  let dirty = false;
  const seen: HashFile['entries'] = {};
  const cache: HashCache = {
    get(path: string, key: FileStatKey) {
      const e = data.entries[path];
      if (e && e[0] === key.ino && e[1] === key.size && e[2] === key.mtimeMs) {
        seen[path] = e;
        return e[3];
      }
      return undefined;
    },
    set(path: string, key: FileStatKey, digest: string) {
      seen[path] = [key.ino, key.size, key.mtimeMs, digest];
      dirty = true;
    },
  };
  return {
    cache,
    async save() {
      if (!dirty) return;
      // Keep what this build looked at (plus what it did not touch, for other Dockerfiles).
      const merged: HashFile = { version: 1, entries: { ...data.entries, ...seen } };
      await mkdir(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(merged));
      await rename(tmp, file);
    },
  };
}
