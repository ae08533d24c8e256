import { open } from 'node:fs/promises';
import { UNCOMPRESSED_SIZE_ANNOTATION } from '../image/write-layer.ts';
import { isGzipLayer } from '../oci/media-types.ts';
import type { Descriptor } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';

/**
 * The uncompressed size of a stored layer: the size gantry recorded on the descriptor when it
 * wrote the layer; an uncompressed blob's own size; else a gzip blob's ISIZE trailer (the
 * uncompressed length modulo 2^32 of its last member: exact for the single-member gzip other
 * tools write, for layers under 4 GiB). 0 when unknown.
 */
export async function layerSize(blobs: BlobStore, d: Descriptor): Promise<number> {
  const recorded = Number(d.annotations?.[UNCOMPRESSED_SIZE_ANNOTATION]);
  if (
    Number.isSafeInteger(recorded) &&
    recorded >= 0 &&
    d.annotations?.[UNCOMPRESSED_SIZE_ANNOTATION] !== undefined
  )
    return recorded;
  if (!isGzipLayer(d.mediaType)) return d.size;
  if (d.size < 18) return 0;
  const fh = await open(blobs.path(d.digest), 'r');
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, d.size - 4);
    return buf.readUInt32LE(0);
  } catch {
    return 0;
  } finally {
    await fh.close();
  }
}
