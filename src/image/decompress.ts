import type { Readable } from 'node:stream';
import { PassThrough, pipeline, Readable as ReadableStream } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GantryError } from '../errors/gantry-error.ts';

/** Yields the uncompressed bytes of a tar that may be gzip-compressed (detected by magic number). */
export async function* decompressed(source: Readable | AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const it = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let ended = false;
  while (head.length < 4 && !ended) {
    const r = await it.next();
    if (r.done) ended = true;
    else head = Buffer.concat([head, Buffer.from(r.value)]);
  }
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length);
    }
  }
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) {
    throw new GantryError(
      'E_LAYER_ZSTD_UNSUPPORTED',
      'the layer is zstd-compressed, which this Node.js cannot decompress',
      {
        hint: 'use an image with gzip layers, or run gantry on Node.js 22.15 or later',
      },
    );
  }
  if (head[0] === 0x1f && head[1] === 0x8b) {
    const out = new PassThrough();
    pipeline(ReadableStream.from(all()), createGunzip(), out, () => {});
    try {
      for await (const chunk of out) yield chunk as Buffer;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (!code.startsWith('Z_')) throw e;
      throw new GantryError(
        'E_LAYER_GZIP_CORRUPT',
        `the layer's gzip stream is corrupt (${(e as Error).message})`,
        {
          hint: 'the blob is damaged or truncated; pull or rebuild the image',
          cause: e,
        },
      );
    }
    return;
  }
  yield* all();
}
