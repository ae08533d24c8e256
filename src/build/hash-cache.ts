import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStatKey, HashCache } from '../exec/copy/types.ts';

/** Absolute path → [inode, size, mtimeMs, content digest]. */
type Entries = Record<string, [number, number, number, string]>;

interface HashFile {
  version: 1;
  entries: Entries;
}

interface TreeFile {
  version: 1;
  /** Tree fingerprint → the content key computed for it, oldest first. */
  trees: Record<string, string>;
}

/** Tree fingerprints remembered per context (a few per COPY of the Dockerfiles built from it). */
const MAX_TREES = 256;

/** Parsed JSON of `file`, or undefined when it is absent or damaged (then the cache starts empty). */
function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

async function writeJson(dir: string, file: string, value: unknown): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value));
  await rename(tmp, file);
}

/**
 * Remembers the content digest of every context file by (inode, size, mtime), in
 * `<store>/hashes/<sha256(context dir)>.json`, so that a rebuild only stats unchanged files;
 * and, in `<...>.trees.json`, the content key of each COPY source tree by its stat
 * fingerprint, so that a no-op rebuild does not even plan the copy. The per-file table is read
 * only when a file's digest is asked for. A missing or unreadable file just means an empty cache.
 */
export async function loadHashCache(
  storeRoot: string,
  contextDir: string,
): Promise<{ cache: HashCache; save(): Promise<void> }> {
  const dir = join(storeRoot, 'hashes');
  const stem = join(dir, createHash('sha256').update(contextDir).digest('hex'));
  const file = `${stem}.json`;
  const treeFile = `${stem}.trees.json`;

  let entries: Entries | undefined;
  const loadEntries = (): Entries => {
    if (entries === undefined) {
      const parsed = readJson(file) as Partial<HashFile> | undefined;
      entries =
        parsed?.version === 1 && parsed.entries !== null && typeof parsed.entries === 'object'
          ? parsed.entries
          : {};
    }
    return entries;
  };
  const parsedTrees = readJson(treeFile) as Partial<TreeFile> | undefined;
  const trees: Record<string, string> =
    parsedTrees?.version === 1 && parsedTrees.trees !== null && typeof parsedTrees.trees === 'object'
      ? { ...parsedTrees.trees }
      : {};

  let entriesDirty = false;
  let treesDirty = false;
  const seen: Entries = {};
  const cache: HashCache = {
    get(path: string, key: FileStatKey) {
      const e = loadEntries()[path];
      if (e && e[0] === key.ino && e[1] === key.size && e[2] === key.mtimeMs) {
        seen[path] = e;
        return e[3];
      }
      return undefined;
    },
    set(path: string, key: FileStatKey, digest: string) {
      loadEntries();
      seen[path] = [key.ino, key.size, key.mtimeMs, digest];
      entriesDirty = true;
    },
    getTree(fingerprint: string) {
      const v = trees[fingerprint];
      return typeof v === 'string' ? v : undefined;
    },
    setTree(fingerprint: string, contentKey: string) {
      if (trees[fingerprint] === contentKey) return;
      delete trees[fingerprint];
      trees[fingerprint] = contentKey;
      const keys = Object.keys(trees);
      for (const k of keys.slice(0, Math.max(0, keys.length - MAX_TREES))) delete trees[k];
      treesDirty = true;
    },
  };
  return {
    cache,
    async save() {
      if (entriesDirty) {
        // Keep what this build looked at (plus what it did not touch, for other Dockerfiles).
        const merged: HashFile = { version: 1, entries: { ...loadEntries(), ...seen } };
        await writeJson(dir, file, merged);
      }
      if (treesDirty) await writeJson(dir, treeFile, { version: 1, trees } satisfies TreeFile);
    },
  };
}
