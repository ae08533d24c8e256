import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseImages } from '../lib/bench-env.ts';
import type { BenchCase, Prepared } from './types.ts';

export interface ContextShape {
  files: number;
  /** Total bytes of file content (the Dockerfile not counted). */
  bytes: number;
  seed: string;
}

export const ISSUE_CONTEXT: ContextShape = { files: 20000, bytes: 430_000_000, seed: 'gantry-bench' };

/** A deterministic byte source: AES-128-CTR of zeros keyed by the seed. */
function byteStream(seed: string) {
  const key = createHash('sha256').update(seed).digest();
  const cipher = createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32));
  return (n: number) => cipher.update(Buffer.alloc(n));
}

/**
 * File sizes: all but 50 files log-uniform in [64 B, 64 KiB]; 50 large files share the rest of
 * the byte budget evenly. Deterministic for a shape.
 */
export function fileSizes(shape: ContextShape): number[] {
  const rnd = byteStream(`${shape.seed}/sizes`)(shape.files * 4);
  const large = Math.min(50, shape.files);
  const sizes: number[] = [];
  for (let i = 0; i < shape.files - large; i++) {
    const u = rnd.readUInt32LE(i * 4) / 2 ** 32;
    sizes.push(Math.round(64 * 1024 ** u));
  }
  const rest = Math.max(0, shape.bytes - sizes.reduce((a, b) => a + b, 0));
  for (let i = 0; i < large; i++) sizes.push(Math.floor(rest / large) + (i < rest % large ? 1 : 0));
  return sizes;
}

const WORDS =
  'alpha beta gamma delta import export const function return value index layer cache build'.split(' ');

/** Text-like, compressible content (even files) or random bytes (odd files). */
function content(i: number, size: number, random: (n: number) => Buffer): Buffer {
  if (i % 2 === 1) return random(size);
  const r = random(Math.ceil(size / 6) + 1);
  const parts: string[] = [];
  let len = 0;
  for (let k = 0; len < size; k++) {
    const w = `${WORDS[r[k % r.length]! % WORDS.length]}${r[k % r.length]! % 7 === 0 ? '\n' : ' '}`;
    parts.push(w);
    len += w.length;
  }
  return Buffer.from(parts.join('').slice(0, size));
}

/** `src/dXX/dYY/fNNNNN.(txt|bin)`: about 100 files per directory. */
export function filePath(i: number): string {
  const dir = Math.floor(i / 100);
  return join(
    'src',
    `d${String(dir >> 4).padStart(2, '0')}`,
    `d${String(dir & 15).padStart(2, '0')}`,
    `f${String(i).padStart(5, '0')}.${i % 2 === 1 ? 'bin' : 'txt'}`,
  );
}

/**
 * Writes the context (files + `Dockerfile` with `COPY . /app`) into `dir`, unless `dir` already
 * holds one for the same shape (a stamp beside it records the shape). Returns the small file
 * the "one file changed" step edits.
 */
export async function makeCopyContext(dir: string, shape: ContextShape, from: string): Promise<string> {
  const stamp = `${dir}.shape.json`;
  const want = JSON.stringify(shape);
  const sizes = fileSizes(shape);
  const small = filePath(sizes.findIndex((s) => s < 4096));
  if ((await readFile(stamp, 'utf8').catch(() => '')) !== want) {
    await rm(dir, { recursive: true, force: true });
    const random = byteStream(shape.seed);
    for (let i = 0; i < sizes.length; i++) {
      const p = join(dir, filePath(i));
      if (i % 100 === 0) await mkdir(join(p, '..'), { recursive: true });
      await writeFile(p, content(i, sizes[i]!, random));
    }
    await writeFile(stamp, want);
  }
  await writeFile(join(dir, 'Dockerfile'), `FROM ${from}\nCOPY . /app\n`);
  return small;
}

/** Rewrites one small file with new content of a similar size (`nonce` makes it unique). */
export async function changeOneFile(p: Prepared, rel: string, nonce: string): Promise<void> {
  const file = join(p.contextDir, rel);
  const old = await readFile(file);
  await writeFile(file, Buffer.concat([Buffer.from(`changed ${nonce}\n`), old.subarray(0, 64)]));
}

export function copyContextCase(shape: ContextShape = ISSUE_CONTEXT, name = 'copy-context'): BenchCase {
  let small = '';
  return {
    name,
    title: `COPY . /app of a ${shape.files}-file, ${Math.round(shape.bytes / 1e6)} MB context`,
    async prepare(dir, env) {
      small = await makeCopyContext(dir, shape, baseImages(env).busybox);
      return { contextDir: dir, dockerfile: join(dir, 'Dockerfile') };
    },
    steps: [
      { label: 'cold', target: 0.33 },
      { label: 'no-op rebuild', target: 0.5 },
      { label: 'one small file changed', target: 0.4, before: (p, nonce) => changeOneFile(p, small, nonce) },
    ],
  };
}
