import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GantryError } from '../../errors/gantry-error.ts';

type Compression = 'none' | 'gzip' | 'bzip2' | 'xz' | 'zstd';

/** The compression of a file, judged by its magic number (as moby's DecompressStream). */
export function detectCompression(head: Buffer): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  return 'none';
}

const TOOLS: Record<'bzip2' | 'xz' | 'zstd', string> = { bzip2: 'bzip2', xz: 'xz', zstd: 'zstd' };

function viaTool(tool: string, path: string): Readable {
  const child = spawn(tool, ['-dc', path], { stdio: ['ignore', 'pipe', 'ignore'] });
  const out = child.stdout;
  child.on('error', (e) => {
    out.destroy(
      new GantryError(
        'E_COPY_DECOMPRESS',
        `cannot decompress ${path}: ${tool} is not available (${e.message})`,
        {
          hint: `Install ${tool}, or add the archive uncompressed or gzip-compressed.`,
          cause: e,
        },
      ),
    );
  });
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) {
      out.destroy(
        new GantryError('E_COPY_DECOMPRESS', `${tool} failed to decompress ${path} (exit ${code})`, {
          hint: 'The archive is corrupt or truncated.',
        }),
      );
    }
  });
  return out;
}

/** The decompressed bytes of the file at `path` (gzip natively; bzip2, xz, zstd via their tools). */
export async function openDecompressed(path: string): Promise<Readable> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(6);
  try {
    await fh.read(head, 0, 6, 0);
  } finally {
    await fh.close();
  }
  const kind = detectCompression(head);
  if (kind === 'none') return createReadStream(path);
  if (kind === 'gzip') return createReadStream(path).pipe(createGunzip());
  return viaTool(TOOLS[kind], path);
}

/** Whether a tar header block is valid: not all zeros and its checksum matches (unsigned or signed sum). */
export function isTarHeader(block: Buffer): boolean {
  if (block.length < 512 || block.every((b) => b === 0)) return false;
  const text = block.subarray(148, 156).toString('latin1').replace(/\0.*$/s, '').trim();
  if (!/^[0-7]+$/.test(text)) return false;
  const want = Number.parseInt(text, 8);
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < 512; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return want === unsigned || want === signed;
}

/**
 * Whether the regular file at `path` is a (possibly compressed) tar archive: it decompresses and
 * starts with a valid tar header, as BuildKit's isArchivePath. Decompression failures say no.
 */
export async function isArchive(path: string): Promise<boolean> {
  let stream: Readable | undefined;
  try {
    stream = await openDecompressed(path);
    const chunks: Buffer[] = [];
    let got = 0;
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      got += (chunk as Buffer).length;
      if (got >= 512) break;
    }
    return isTarHeader(Buffer.concat(chunks).subarray(0, 512));
  } catch {
    return false;
  } finally {
    stream?.destroy();
  }
}
