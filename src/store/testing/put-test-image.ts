import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Digest, sha256Digest } from '../../oci/digest.ts';
import { MediaType } from '../../oci/media-types.ts';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest } from '../../oci/types.ts';
import type { BlobStore } from '../types.ts';

export interface TestImage {
  index: Descriptor;
  manifest: Descriptor;
  config: Descriptor;
  layers: Descriptor[];
  diffIds: Digest[];
}

/**
 * Writes a small image (index → manifest → config + layers) into `blobs` for tests. Layers are
 * the given texts stored as-is (not real tars); diff IDs are their digests.
 */
export async function putTestImage(
  blobs: BlobStore,
  layerTexts: readonly string[],
  tag = 'x',
): Promise<TestImage> {
  const layers: Descriptor[] = [];
  for (const text of layerTexts) {
    const info = await blobs.putBytes(Buffer.from(text));
    layers.push({ mediaType: MediaType.ociLayer, digest: info.digest, size: info.size });
  }
  const diffIds = layers.map((l) => l.digest);
  const imageConfig: ImageConfig = {
    architecture: 'amd64',
    os: 'linux',
    config: { Labels: { tag } },
    rootfs: { type: 'layers', diff_ids: diffIds },
  };
  const config = await putJson(blobs, MediaType.ociConfig, imageConfig);
  const manifestDoc: ImageManifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers };
  const manifest = await putJson(blobs, MediaType.ociManifest, manifestDoc);
  const platformManifest = { ...manifest, platform: { architecture: 'amd64', os: 'linux' } };
  const indexDoc: ImageIndex = {
    schemaVersion: 2,
    mediaType: MediaType.ociIndex,
    manifests: [platformManifest],
  };
  const index = await putJson(blobs, MediaType.ociIndex, indexDoc);
  return { index, manifest, config, layers, diffIds };
}

export async function putJson(blobs: BlobStore, mediaType: string, doc: unknown): Promise<Descriptor> {
  const info = await blobs.putBytes(Buffer.from(JSON.stringify(doc)));
  return { mediaType, digest: info.digest, size: info.size };
}

/** A fresh directory for a test store under the OS temp dir. */
export function testRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'gantry-store-test-'));
}

export function digestOf(text: string): Digest {
  return sha256Digest(createHash('sha256').update(text).digest('hex'));
}
