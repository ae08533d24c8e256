import { GantryError } from '../errors/gantry-error.ts';
import { digestHex } from '../oci/digest.ts';
import { MediaType } from '../oci/media-types.ts';
import type { Descriptor, ImageIndex } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { indexEntry, REF_NAME_ANNOTATION } from './export-oci-layout.ts';
import { blobMember, imageBlobs } from './image-blobs.ts';
import { bytesMember, writeArchive } from './tar-archive.ts';

export interface ExportDockerArchiveOptions {
  blobs: BlobStore;
  manifest: Descriptor;
  /** `name:tag` references to record (RepoTags); a name without a tag gets `:latest`. */
  tags: string[];
  /** The tar file to write. */
  dest: string;
}

/** Splits `name[:tag]` into name and tag, checking it is a tag and not a digest reference. */
export function splitTag(ref: string): { name: string; tag: string } {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  const hasTag = colon > slash;
  const name = hasTag ? ref.slice(0, colon) : ref;
  const tag = hasTag ? ref.slice(colon + 1) : 'latest';
  if (ref.includes('@') || name === '' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new GantryError('E_EXPORT_BAD_TAG', `${JSON.stringify(ref)} is not a name:tag reference`, {
      hint: 'tags look like "app:1.0" or "registry.example.com/team/app:latest"; digests cannot be used here',
    });
  }
  return { name, tag };
}

/**
 * Writes the `docker save` format as Docker 25+ does: `manifest.json` and `repositories` for
 * `docker load`, plus `oci-layout` and `index.json`, with the config and the (gzip) layers at
 * `blobs/sha256/<hex>`. Blobs are streamed from the store.
 */
export async function exportDockerArchive(o: ExportDockerArchiveOptions): Promise<void> {
  const refs = o.tags.map(splitTag);
  const image = await imageBlobs(o.blobs, o.manifest);
  const path = (d: Descriptor): string => `blobs/sha256/${digestHex(d.digest)}`;
  const layers = image.manifest.layers;
  const manifestJson = [
    {
      Config: path(image.manifest.config),
      RepoTags: refs.map((r) => `${r.name}:${r.tag}`),
      Layers: layers.map(path),
    },
  ];
  const repositories: Record<string, Record<string, string>> = {};
  const top = layers.at(-1);
  if (top !== undefined) {
    for (const r of refs) {
      repositories[r.name] ??= {};
      (repositories[r.name] as Record<string, string>)[r.tag] = digestHex(top.digest);
    }
  }
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests:
      refs.length === 0
        ? [indexEntry(o.manifest, image.config)]
        : refs.map((r) => {
            const entry = indexEntry(o.manifest, image.config, r.tag);
            entry.annotations = {
              'io.containerd.image.name': `${r.name}:${r.tag}`,
              [REF_NAME_ANNOTATION]: r.tag,
            };
            return entry;
          }),
  };
  await writeArchive(o.dest, [
    { name: 'blobs' },
    { name: 'blobs/sha256' },
    ...image.blobs.map((d) => blobMember(o.blobs, d)),
    bytesMember('index.json', Buffer.from(`${JSON.stringify(index)}\n`)),
    bytesMember('manifest.json', Buffer.from(`${JSON.stringify(manifestJson)}\n`)),
    bytesMember('oci-layout', Buffer.from('{"imageLayoutVersion":"1.0.0"}')),
    bytesMember('repositories', Buffer.from(`${JSON.stringify(repositories)}\n`)),
  ]);
}
