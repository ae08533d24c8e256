import { GantryError } from '../errors/gantry-error.ts';
import { type Digest, parseDigest } from '../oci/digest.ts';
import { isIndexMediaType, isManifestMediaType } from '../oci/media-types.ts';
import type { Descriptor, ImageConfig, ImageManifest } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';

export interface LoadedImage {
  manifest: ImageManifest;
  config: ImageConfig;
}

/** A stored blob parsed as JSON; E_IMAGE_BAD_JSON naming `what` when it is not JSON. */
export async function readJsonBlob(blobs: BlobStore, digest: Digest, what: string): Promise<unknown> {
  return parseJson(await blobs.readBytes(digest), what);
}

function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new GantryError('E_IMAGE_BAD_JSON', `${what} is not valid JSON`, {
      hint: 'the stored blob is corrupt; pull or rebuild the image',
      cause: e,
    });
  }
}

/** Reads and checks a manifest and its config from the blob store. */
export async function readImage(blobs: BlobStore, manifest: Descriptor): Promise<LoadedImage> {
  if (isIndexMediaType(manifest.mediaType)) {
    throw new GantryError('E_IMAGE_IS_INDEX', `${manifest.digest} is an image index, not an image manifest`, {
      hint: "pick one platform's manifest from the index first",
    });
  }
  const parsed = (await readJsonBlob(
    blobs,
    manifest.digest,
    `manifest ${manifest.digest}`,
  )) as Partial<ImageManifest>;
  const mt = parsed.mediaType ?? manifest.mediaType;
  if (!isManifestMediaType(mt) || parsed.config === undefined || !Array.isArray(parsed.layers)) {
    throw new GantryError(
      'E_IMAGE_BAD_MANIFEST',
      `${manifest.digest} is not an image manifest (media type ${JSON.stringify(mt)})`,
      {
        hint: 'only OCI and Docker v2 schema 2 image manifests can be exported',
      },
    );
  }
  const m = parsed as ImageManifest;
  // Digests name files in exporters: validate them before they get near a path.
  for (const d of [m.config, ...m.layers])
    parseDigest(String(d.digest), `digest in manifest ${manifest.digest}`);
  const config = (await readJsonBlob(
    blobs,
    m.config.digest,
    `image config ${m.config.digest}`,
  )) as ImageConfig;
  if (!Array.isArray(config.rootfs?.diff_ids) || config.rootfs.diff_ids.length !== m.layers.length) {
    throw new GantryError(
      'E_IMAGE_BAD_CONFIG',
      `image config ${m.config.digest} lists ${config.rootfs?.diff_ids?.length ?? 0} diff_ids for ${m.layers.length} layers`,
      {
        hint: 'the image is corrupt; pull or rebuild it',
      },
    );
  }
  return { manifest: m, config };
}
