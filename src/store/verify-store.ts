import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseCacheRecord } from './cache-index.ts';
import { isNotFound } from './fs-helpers.ts';
import { storeLayout } from './layout.ts';
import { readRefEntries } from './ref-store.ts';
import type { Store, StoreProblem } from './types.ts';
import { type WalkRoot, walkImages } from './walk-images.ts';

export interface VerifyResult {
  problems: StoreProblem[];
  /** Blobs rehashed. */
  checkedBlobs: number;
}

/**
 * Checks the whole store without changing it: rehashes every blob (streaming), and follows
 * every ref and cache record to manifests, configs and layers that must be present, parseable
 * and of the size their descriptors state. Problems come back sorted by path.
 */
export async function verifyStore(store: Store): Promise<VerifyResult> {
  const layout = storeLayout(store.root);
  const problems: StoreProblem[] = [];
  let checkedBlobs = 0;

  for (const name of (await readdir(layout.blobsDir)).sort()) {
    const path = join(layout.blobsDir, name);
    const st = await lstat(path).catch((e: unknown) => {
      if (isNotFound(e)) return undefined;
      throw e;
    });
    if (st === undefined) continue; // removed while we looked
    if (!/^[a-f0-9]{64}$/.test(name) || !st.isFile()) {
      problems.push({
        kind: 'stray-file',
        path,
        message: 'is not a blob (blobs/sha256 holds only <64 hex> files)',
      });
      continue;
    }
    const hash = createHash('sha256');
    try {
      await pipeline(createReadStream(path), hash);
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
    checkedBlobs++;
    const actual = hash.digest('hex');
    if (actual !== name) {
      problems.push({
        kind: 'blob-corrupt',
        path,
        message: `content hashes to sha256:${actual}, not sha256:${name}`,
      });
    }
  }

  const roots: WalkRoot[] = [];
  const refs = await readRefEntries(layout.refsDir);
  for (const c of refs.corrupt) problems.push({ kind: 'ref-corrupt', path: c.path, message: c.message });
  for (const { name, descriptor } of refs.entries) {
    roots.push({
      digest: descriptor.digest,
      mediaType: descriptor.mediaType,
      size: descriptor.size,
      from: `ref ${name}`,
    });
  }

  for (const file of (await readdir(layout.cacheDir)).sort()) {
    const path = join(layout.cacheDir, file);
    const key = /^([a-f0-9]{16,128})\.json$/.exec(file)?.[1];
    if (key === undefined) {
      problems.push({
        kind: 'cache-corrupt',
        path,
        message: 'is not a cache record file (expected <hex key>.json)',
      });
      continue;
    }
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if (isNotFound(e)) continue;
      throw e;
    }
    const record = parseCacheRecord(text);
    if (typeof record === 'string') {
      problems.push({ kind: 'cache-corrupt', path, message: record });
      continue;
    }
    for (const digest of record.blobs) roots.push({ digest, from: `cache record ${key}` });
  }

  problems.push(...(await walkImages(store.blobs, roots)).problems);

  // Snapshot contents are not rehashed (a chain ID names the layers, not a tree hash); names are checked.
  for (const name of (await readdir(layout.snapshotsDir)).sort()) {
    if (/^[a-f0-9]{64}$/.test(name)) continue;
    const path = join(layout.snapshotsDir, name);
    problems.push({
      kind: 'stray-file',
      path,
      message: 'is not a snapshot (snapshots holds only <64 hex> dirs)',
    });
  }

  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { problems, checkedBlobs };
}
