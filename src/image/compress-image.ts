import { createHash } from 'node:crypto';
import { GantryError } from '../errors/gantry-error.ts';
import { type Digest, sha256Digest } from '../oci/digest.ts';
import { isIndexMediaType, MediaType } from '../oci/media-types.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/types.ts';
import type { BlobStore, CacheIndex } from '../store/types.ts';
import { canonicalJsonBytes } from './canonical-json.ts';
import { gzipMembers } from './gzip-members.ts';
import { readJsonBlob } from './read-image.ts';
import { UNCOMPRESSED_SIZE_ANNOTATION } from './write-layer.ts';

/**
 * Local images keep the layers gantry writes as plain tars (as docker's image store does): a
 * build then writes and hashes each byte once. Registries and OCI layouts get gzip, made here
 * on the way out and remembered, so the second push of a layer compresses nothing.
 */

/** Uncompressed layer media types, and the gzip type each becomes. */
const GZIP_OF: Readonly<Record<string, string>> = {
  [MediaType.ociLayer]: MediaType.ociLayerGzip,
  'application/vnd.docker.image.rootfs.diff.tar': MediaType.dockerLayerGzip,
};

export interface CompressImageOptions {
  blobs: BlobStore;
  /** Where the uncompressed → gzip mapping is remembered (and keeps the gzip blobs alive). */
  cache: CacheIndex;
  /** zlib level; 1 by default (fast; the members are compressed in parallel). */
  gzipLevel?: number;
}

/**
 * The descriptor of a manifest (or index) equal to `root` except that every uncompressed layer
 * is replaced by its gzip form, stored in `blobs`. The config, and so the image ID and the
 * diffIDs, stay the same. Returns `root` itself when nothing needs compressing.
 */
export async function compressImage(o: CompressImageOptions, root: Descriptor): Promise<Descriptor> {
  if (isIndexMediaType(root.mediaType)) {
    const index = (await readJsonBlob(o.blobs, root.digest, `image index ${root.digest}`)) as ImageIndex;
    let changed = false;
    const manifests: Descriptor[] = [];
    for (const m of index.manifests ?? []) {
      const c = await compressImage(o, m);
      changed ||= c !== m;
      manifests.push(c);
    }
    if (!changed) return root;
    return putJson(o.blobs, root, { ...index, manifests });
  }
  const manifest = (await readJsonBlob(o.blobs, root.digest, `manifest ${root.digest}`)) as ImageManifest;
  if (!Array.isArray(manifest.layers) || !manifest.layers.some((l) => GZIP_OF[l.mediaType] !== undefined))
    return root;
  const layers: Descriptor[] = [];
  for (const l of manifest.layers)
    layers.push(GZIP_OF[l.mediaType] === undefined ? l : await gzipLayer(o, l));
  return putJson(o.blobs, root, { ...manifest, layers });
}

async function putJson(blobs: BlobStore, like: Descriptor, value: object): Promise<Descriptor> {
  const info = await blobs.putBytes(canonicalJsonBytes(value));
  const { annotations, platform } = like;
  return {
    mediaType: like.mediaType,
    digest: info.digest,
    size: info.size,
    ...(platform !== undefined ? { platform } : {}),
    ...(annotations !== undefined ? { annotations } : {}),
  };
}

/** Cache key of the gzip form of the uncompressed blob `digest`. */
function variantKey(digest: Digest, level: number): string {
  return createHash('sha256').update(`gantry gzip layer\0${level}\0${digest}`).digest('hex');
}

interface Variant {
  digest: Digest;
  size: number;
}

async function gzipLayer(o: CompressImageOptions, layer: Descriptor): Promise<Descriptor> {
  const level = o.gzipLevel ?? 1;
  const key = variantKey(layer.digest, level);
  let variant = await knownVariant(o, key);
  if (variant === undefined) {
    variant = await compressBlob(o.blobs, layer, level);
    await o.cache.set(key, {
      blobs: [variant.digest],
      data: { gzipOf: layer.digest, digest: variant.digest, size: variant.size },
      createdAt: new Date().toISOString(),
    });
  }
  return {
    ...layer,
    mediaType: GZIP_OF[layer.mediaType]!,
    digest: variant.digest,
    size: variant.size,
    annotations: { ...layer.annotations, [UNCOMPRESSED_SIZE_ANNOTATION]: String(layer.size) },
  };
}

/** A remembered gzip form whose blob is still in the store at its size. */
async function knownVariant(o: CompressImageOptions, key: string): Promise<Variant | undefined> {
  const record = await o.cache.get(key);
  const data = record?.data as Partial<Variant> | undefined;
  if (typeof data?.digest !== 'string' || typeof data.size !== 'number') return undefined;
  const info = await o.blobs.stat(data.digest as Digest);
  return info?.size === data.size ? { digest: data.digest as Digest, size: data.size } : undefined;
}

/** Gzips a stored blob into the store, checking on the way that the source still has its digest. */
async function compressBlob(blobs: BlobStore, layer: Descriptor, level: number): Promise<Variant> {
  const hash = createHash('sha256');
  let read = 0;
  async function* source(): AsyncGenerator<Buffer> {
    for await (const chunk of blobs.open(layer.digest)) {
      hash.update(chunk as Buffer);
      read += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  }
  const info = await blobs.put(gzipMembers(source(), level));
  const actual = sha256Digest(hash.digest('hex'));
  if (actual !== layer.digest || read !== layer.size) {
    throw new GantryError(
      'E_LAYER_BLOB_CHANGED',
      `layer blob ${layer.digest} in the store now hashes to ${actual} (${read} bytes, expected ${layer.size})`,
      { hint: 'the store is damaged: run `gantry store verify`, then rebuild or pull the image' },
    );
  }
  return info;
}
