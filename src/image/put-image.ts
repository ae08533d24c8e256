import { MediaType } from '../oci/media-types.ts';
import type { Descriptor, ImageConfig } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { canonicalJsonBytes } from './canonical-json.ts';
import { buildManifest } from './image-config.ts';

export interface PutImageOptions {
  blobs: BlobStore;
  config: ImageConfig;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface StoredImage {
  manifest: Descriptor;
  config: Descriptor;
}

/** Stores an image's config and manifest (canonical JSON) and returns their descriptors. */
export async function putImage(o: PutImageOptions): Promise<StoredImage> {
  const configInfo = await o.blobs.putBytes(canonicalJsonBytes(o.config));
  const config: Descriptor = {
    mediaType: MediaType.ociConfig,
    digest: configInfo.digest,
    size: configInfo.size,
  };
  const manifestBytes = canonicalJsonBytes(
    buildManifest({ config, layers: o.layers, annotations: o.annotations }),
  );
  const manifestInfo = await o.blobs.putBytes(manifestBytes);
  return {
    manifest: { mediaType: MediaType.ociManifest, digest: manifestInfo.digest, size: manifestInfo.size },
    config,
  };
}
