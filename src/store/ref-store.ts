import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';
import { isDigest, parseDigest } from '../oci/digest.ts';
import type { Descriptor } from '../oci/types.ts';
import { readTextIfExists, unlinkIfExists } from './fs-helpers.ts';
import type { StoreLayout } from './layout.ts';
import type { RefStore } from './types.ts';
import { writeFileAtomic } from './write-file-atomic.ts';

const MAX_NAME = 1024;

export interface RefEntry {
  name: string;
  descriptor: Descriptor;
}

/**
 * Refs as one file per name, `refs/<sha256(name)>.json` holding `{name, descriptor}`. A set is
 * a temp file renamed over the old one, so each update is atomic and updates of different
 * names never touch the same file: concurrent processes lose nothing without holding a lock.
 * Two processes setting one name at once: the later rename wins, as with `docker tag`.
 */
export function createRefStore(layout: Pick<StoreLayout, 'refsDir' | 'tmpDir'>): RefStore {
  const fileOf = (name: string): string => join(layout.refsDir, `${refFileStem(checkRefName(name))}.json`);
  return {
    async get(name) {
      const path = fileOf(name);
      const text = await readTextIfExists(path);
      if (text === undefined) return undefined;
      const entry = parseRefFile(text);
      if (typeof entry === 'string') throw corruptRef(path, entry);
      if (entry.name !== name)
        throw corruptRef(path, `holds ${JSON.stringify(entry.name)}, not ${JSON.stringify(name)}`);
      return entry.descriptor;
    },
    async set(name, descriptor) {
      const data = `${JSON.stringify({ name, descriptor: checkDescriptor(descriptor) })}\n`;
      // Re-tagging with the same descriptor (a cached rebuild) writes nothing.
      if ((await readTextIfExists(fileOf(name))) === data) return;
      await writeFileAtomic({ tmpDir: layout.tmpDir, target: fileOf(name), data });
    },
    delete: (name) => unlinkIfExists(fileOf(name)),
    async list() {
      const { entries, corrupt } = await readRefEntries(layout.refsDir);
      const first = corrupt[0];
      if (first !== undefined) throw corruptRef(first.path, first.message);
      return entries;
    },
  };
}

/** Every readable ref sorted by name, and the files that are not readable refs (for verify). */
export async function readRefEntries(
  refsDir: string,
): Promise<{ entries: RefEntry[]; corrupt: { path: string; message: string }[] }> {
  const entries: RefEntry[] = [];
  const corrupt: { path: string; message: string }[] = [];
  for (const file of (await readdir(refsDir)).sort()) {
    const path = join(refsDir, file);
    if (!/^[a-f0-9]{64}\.json$/.test(file)) {
      corrupt.push({ path, message: 'is not a ref file (expected <sha256 of name>.json)' });
      continue;
    }
    const text = await readTextIfExists(path);
    if (text === undefined) continue; // deleted while we listed
    const entry = parseRefFile(text);
    if (typeof entry === 'string') corrupt.push({ path, message: entry });
    else if (`${refFileStem(entry.name)}.json` !== file) {
      corrupt.push({ path, message: `is not named after ${JSON.stringify(entry.name)}` });
    } else entries.push(entry);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, corrupt };
}

/** File name stem of a ref: hex sha256 of its name (fixed length, any characters allowed in names). */
export function refFileStem(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function checkRefName(name: string): string {
  if (name.length === 0 || name.length > MAX_NAME || /[\s\u0000-\u001f\u007f]/.test(name)) {
    throw new GantryError('E_REF_NAME_INVALID', `invalid image name ${JSON.stringify(name.slice(0, 200))}`, {
      hint: `a name is 1 to ${MAX_NAME} characters without spaces or control characters, e.g. docker.io/library/app:1`,
    });
  }
  return name;
}

function checkDescriptor(d: Descriptor): Descriptor {
  if (typeof d.mediaType !== 'string' || d.mediaType === '') throw new Error('descriptor has no mediaType');
  parseDigest(d.digest, 'descriptor digest');
  if (!Number.isSafeInteger(d.size) || d.size < 0)
    throw new Error(`descriptor size ${d.size} is not a byte count`);
  return d;
}

/** The entry in a ref file's text, or what is wrong with it. */
function parseRefFile(text: string): RefEntry | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  const { name, descriptor } = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  if (typeof name !== 'string') return 'has no name';
  const d = (typeof descriptor === 'object' && descriptor !== null ? descriptor : {}) as Record<
    string,
    unknown
  >;
  if (typeof d.mediaType !== 'string' || typeof d.digest !== 'string' || !isDigest(d.digest)) {
    return 'has no valid descriptor';
  }
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0)
    return 'has no valid descriptor size';
  return { name, descriptor: d as unknown as Descriptor };
}

function corruptRef(path: string, what: string): GantryError {
  return new GantryError('E_STORE_CORRUPT', `ref file ${path} ${what}`, {
    hint: 'run `gantry verify`; remove the file and tag the image again',
  });
}
