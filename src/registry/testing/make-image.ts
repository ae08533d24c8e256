import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { type Digest, sha256Digest } from '../../oci/digest.ts';
import { MediaType } from '../../oci/media-types.ts';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from '../../oci/types.ts';
import type { BlobStore } from '../../store/types.ts';

const sha = (b: Uint8Array): Digest => sha256Digest(createHash('sha256').update(b).digest('hex'));

/** A one-file tar archive (ustar), enough to be a valid layer. */
export function tarOneFile(name: string, content: Uint8Array): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (content.length % 512)) % 512);
  return Buffer.concat([header, Buffer.from(content), pad, Buffer.alloc(1024)]);
}

export interface MadeImage {
  manifest: Descriptor;
  manifestJson: ImageManifest;
  config: Descriptor;
  layers: Descriptor[];
}

/**
 * Writes a small valid image into `blobs`: `layers` gzip layers with one random file each
 * (`layerBytes` of random content), a config and a manifest. Docker or OCI media types.
 */
export async function makeImage(
  blobs: BlobStore,
  opts: { layers?: number; layerBytes?: number; docker?: boolean; platform?: Platform; label?: string } = {},
): Promise<MadeImage> {
  const docker = opts.docker ?? false;
  const platform = opts.platform ?? { os: 'linux', architecture: 'amd64' };
  const layers: Descriptor[] = [];
  const diffIds: Digest[] = [];
  for (let i = 0; i < (opts.layers ?? 2); i++) {
    const tar = tarOneFile(`file-${i}.bin`, randomBytes(opts.layerBytes ?? 1024));
    const gz = gzipSync(tar, { level: 1 });
    diffIds.push(sha(tar));
    const info = await blobs.putBytes(gz);
    layers.push({
      mediaType: docker ? MediaType.dockerLayerGzip : MediaType.ociLayerGzip,
      digest: info.digest,
      size: info.size,
    });
  }
  const configJson: ImageConfig = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant !== undefined ? { variant: platform.variant } : {}),
    config: { Env: ['PATH=/bin'], Labels: { made: opts.label ?? randomBytes(4).toString('hex') } },
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const configBytes = Buffer.from(JSON.stringify(configJson));
  const cfg = await blobs.putBytes(configBytes);
  const config: Descriptor = {
    mediaType: docker ? MediaType.dockerConfig : MediaType.ociConfig,
    digest: cfg.digest,
    size: cfg.size,
  };
  const manifestJson: ImageManifest = {
    schemaVersion: 2,
    mediaType: docker ? MediaType.dockerManifest : MediaType.ociManifest,
    config,
    layers,
  };
  const mBytes = Buffer.from(JSON.stringify(manifestJson));
  const m = await blobs.putBytes(mBytes);
  return {
    manifest: { mediaType: manifestJson.mediaType!, digest: m.digest, size: m.size, platform },
    manifestJson,
    config,
    layers,
  };
}

/** Writes an OCI index over the given manifests (each with its platform). */
export async function makeIndex(blobs: BlobStore, manifests: Descriptor[]): Promise<Descriptor> {
  const json: ImageIndex = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests };
  const info = await blobs.putBytes(Buffer.from(JSON.stringify(json)));
  return { mediaType: MediaType.ociIndex, digest: info.digest, size: info.size };
}
