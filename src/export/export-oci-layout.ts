import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { GantryError } from '../errors/gantry-error.ts';
import { digestHex } from '../oci/digest.ts';
import { MediaType } from '../oci/media-types.ts';
import type { Descriptor, ImageConfig, ImageIndex } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { blobMember, imageBlobs } from './image-blobs.ts';
import { bytesMember, writeArchive } from './tar-archive.ts';

export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';
const OCI_LAYOUT = Buffer.from('{"imageLayoutVersion":"1.0.0"}');

export interface ExportOciLayoutOptions {
  blobs: BlobStore;
  manifest: Descriptor;
  /** Write (or add to) an OCI layout directory here. */
  dest?: string;
  /** Or write the layout as one tar file here. */
  destTar?: string;
  /** `org.opencontainers.image.ref.name` of the image in index.json (e.g. "latest"). */
  refName?: string;
}

/** The index.json entry for the image: its manifest descriptor, platform and ref name. */
export function indexEntry(manifest: Descriptor, config: ImageConfig, refName?: string): Descriptor {
  const entry: Descriptor = { mediaType: manifest.mediaType, digest: manifest.digest, size: manifest.size };
  entry.platform = { architecture: config.architecture, os: config.os };
  if (config.variant !== undefined) entry.platform.variant = config.variant;
  if (refName !== undefined) entry.annotations = { [REF_NAME_ANNOTATION]: refName };
  return entry;
}

function indexBytes(index: ImageIndex): Buffer {
  return Buffer.from(`${JSON.stringify(index)}\n`);
}

async function readIndex(path: string): Promise<ImageIndex | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const index = JSON.parse(text) as ImageIndex;
    if (!Array.isArray(index.manifests)) throw new Error('no manifests array');
    return index;
  } catch (e) {
    throw new GantryError('E_EXPORT_BAD_LAYOUT', `${path} is not a valid OCI index`, {
      hint: 'export into an empty directory, or repair or remove the existing index.json',
      cause: e,
    });
  }
}

async function writeFileAtomic(path: string, bytes: Buffer): Promise<void> {
  const tmp = `${path}.tmp-${randomUUID()}`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

async function exportToDirectory(o: ExportOciLayoutOptions & { dest: string }): Promise<void> {
  const image = await imageBlobs(o.blobs, o.manifest);
  const blobDir = join(o.dest, 'blobs', 'sha256');
  await mkdir(blobDir, { recursive: true });
  await writeFileAtomic(join(o.dest, 'oci-layout'), OCI_LAYOUT);
  for (const d of image.blobs) {
    const path = join(blobDir, digestHex(d.digest));
    const existing = await stat(path).catch(() => undefined);
    if (existing?.size === d.size) continue;
    const tmp = `${path}.tmp-${randomUUID()}`;
    try {
      await pipeline(o.blobs.open(d.digest), createWriteStream(tmp));
      await rename(tmp, path);
    } finally {
      await rm(tmp, { force: true });
    }
  }
  const indexPath = join(o.dest, 'index.json');
  const index: ImageIndex = (await readIndex(indexPath)) ?? { schemaVersion: 2, manifests: [] };
  index.mediaType = MediaType.ociIndex;
  const entry = indexEntry(o.manifest, image.config, o.refName);
  index.manifests = index.manifests.filter((m) =>
    o.refName === undefined
      ? m.digest !== o.manifest.digest || m.annotations?.[REF_NAME_ANNOTATION] !== undefined
      : m.annotations?.[REF_NAME_ANNOTATION] !== o.refName,
  );
  index.manifests.push(entry);
  await writeFileAtomic(indexPath, indexBytes(index));
}

/**
 * Writes an image as an OCI image layout: `oci-layout`, `index.json` (naming the image with
 * `org.opencontainers.image.ref.name`) and `blobs/sha256/<hex>`, either into a directory (added
 * to what is there, replacing an entry with the same ref name) or as one tar file.
 */
export async function exportOciLayout(o: ExportOciLayoutOptions): Promise<void> {
  if ((o.dest === undefined) === (o.destTar === undefined))
    throw new Error('exportOciLayout needs exactly one of dest, destTar');
  if (o.dest !== undefined) return exportToDirectory({ ...o, dest: o.dest });
  const image = await imageBlobs(o.blobs, o.manifest);
  const index: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [indexEntry(o.manifest, image.config, o.refName)],
  };
  await writeArchive(o.destTar as string, [
    bytesMember('oci-layout', OCI_LAYOUT),
    bytesMember('index.json', indexBytes(index)),
    { name: 'blobs' },
    { name: 'blobs/sha256' },
    ...image.blobs.map((d) => blobMember(o.blobs, d)),
  ]);
}
