import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';
import { type Digest, isDigest, parseDigest } from '../oci/digest.ts';
import { readTextIfExists, unlinkIfExists } from './fs-helpers.ts';
import type { StoreLayout } from './layout.ts';
import type { CacheIndex, CacheRecord } from './types.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

const KEY_RE = /^[a-f0-9]{16,128}$/;

/** Cache records as `cache/<key>.json` files, each replaced atomically (temp file + rename). */
export function createCacheIndex(layout: Pick<StoreLayout, 'cacheDir' | 'tmpDir'>): CacheIndex {
  const fileOf = (key: string): string => join(layout.cacheDir, `${checkKey(key)}.json`);
  return {
    async get(key) {
      const path = fileOf(key);
      const text = await readTextIfExists(path);
      if (text === undefined) return undefined;
      const record = parseCacheRecord(text);
      if (typeof record === 'string') {
        throw new GantryError('E_STORE_CORRUPT', `cache record ${path} ${record}`, {
          hint: 'run `gantry verify`; removing the file only makes the next build redo that step',
        });
      }
      return record;
    },
    async set(key, record) {
      const data = `${JSON.stringify(checkRecord(record))}\n`;
      await writeFileAtomic({ tmpDir: layout.tmpDir, target: fileOf(key), data });
    },
    delete: (key) => unlinkIfExists(fileOf(key)),
    keys: () => listCacheKeys(layout.cacheDir),
  };
}

/** Keys of all cache records, sorted (files with other names are ignored here; verify reports them). */
export async function listCacheKeys(cacheDir: string): Promise<string[]> {
  const keys: string[] = [];
  for (const file of await readdir(cacheDir)) {
    const m = /^([a-f0-9]{16,128})\.json$/.exec(file);
    if (m?.[1] !== undefined) keys.push(m[1]);
  }
  return keys.sort();
}

/** A record from a cache file's text, or what is wrong with it. */
export function parseCacheRecord(text: string): CacheRecord | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  if (typeof v !== 'object' || v === null) return 'is not an object';
  const { blobs, snapshots, data, createdAt } = v as Record<string, unknown>;
  if (!isDigestList(blobs)) return 'has no valid blobs list';
  if (snapshots !== undefined && !isDigestList(snapshots)) return 'has an invalid snapshots list';
  if (typeof createdAt !== 'string') return 'has no createdAt';
  const record: CacheRecord = { blobs, data, createdAt };
  if (snapshots !== undefined) record.snapshots = snapshots;
  return record;
}

function isDigestList(v: unknown): v is Digest[] {
  return Array.isArray(v) && v.every((d) => typeof d === 'string' && isDigest(d));
}

function checkKey(key: string): string {
  if (!KEY_RE.test(key))
    throw new Error(`cache key must be 16-128 lowercase hex characters, got ${JSON.stringify(key)}`);
  return key;
}

function checkRecord(record: CacheRecord): CacheRecord {
  for (const d of record.blobs) parseDigest(d, 'cache record blob');
  for (const d of record.snapshots ?? []) parseDigest(d, 'cache record snapshot');
  if (typeof record.createdAt !== 'string') throw new Error('cache record needs createdAt');
  const out: CacheRecord = { blobs: record.blobs, data: record.data, createdAt: record.createdAt };
  if (record.snapshots !== undefined) out.snapshots = record.snapshots;
  return out;
}
