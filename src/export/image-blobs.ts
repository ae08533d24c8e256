import { GantryError } from '../errors/gantry-error.ts';
import { type LoadedImage, readImage } from '../image/read-image.ts';
import { digestHex } from '../oci/digest.ts';
import type { Descriptor } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import type { ArchiveMember } from './tar-archive.ts';

export interface ImageBlobs extends LoadedImage {
  /** The manifest, the config and each distinct layer, each checked to be in the store at its size. */
  blobs: Descriptor[];
}

/** Loads an image and checks every blob it needs is present with the size its descriptor says. */
export async function imageBlobs(store: BlobStore, manifest: Descriptor): Promise<ImageBlobs> {
  const loaded = await readImage(store, manifest);
  const seen = new Set<string>();
  const blobs: Descriptor[] = [];
  for (const d of [manifest, loaded.manifest.config, ...loaded.manifest.layers]) {
    if (seen.has(d.digest)) continue;
    seen.add(d.digest);
    const info = await store.stat(d.digest);
    if (info === undefined) {
      throw new GantryError(
        'E_EXPORT_BLOB_MISSING',
        `blob ${d.digest} (${d.mediaType}) of image ${manifest.digest} is not in the store`,
        {
          hint: 'pull the image again (the store may have been pruned while the image was in use)',
        },
      );
    }
    if (info.size !== d.size) {
      throw new GantryError(
        'E_EXPORT_BLOB_SIZE',
        `blob ${d.digest} is ${info.size} bytes, but the manifest says ${d.size}`,
        {
          hint: 'the image manifest or the store is corrupt; pull or rebuild the image',
        },
      );
    }
    blobs.push(d);
  }
  return { ...loaded, blobs };
}

/** The tar member `blobs/sha256/<hex>` streaming one stored blob. */
export function blobMember(store: BlobStore, d: Descriptor): ArchiveMember {
  return {
    name: `blobs/sha256/${digestHex(d.digest)}`,
    file: { size: d.size, open: () => store.open(d.digest) },
  };
}
