import { GantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import { isIndexMediaType, isManifestMediaType } from '../oci/media-types.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { clientFor, type RegistryAccessOptions } from './client-options.ts';
import { RegistryErrorCode } from './errors.ts';
import { mapLimit } from './map-limit.ts';
import { familiarString, parseReference, type Reference, withDigest } from './reference.ts';
import { isTransient, type RegistryClient } from './registry-client.ts';
import { uploadBlob } from './upload-blob.ts';

export interface PushOptions extends RegistryAccessOptions {
  ref: string | Reference;
  blobs: BlobStore;
  /** The image manifest or index to push, held in `blobs` with everything it references. */
  manifest: Descriptor;
  /**
   * Where a blob is known to exist already: a repository (`team/base` or `host/team/base`) of the
   * same registry to mount it from instead of uploading.
   */
  mountFrom?: ReadonlyMap<Digest, string> | Readonly<Record<string, string>>;
  /** Blobs uploaded at once. Default 3. */
  concurrency?: number;
  /** Blobs larger than this go up in PATCH chunks. Default 64 MiB. */
  chunkThreshold?: number;
  /** Size of one PATCH chunk. Default 16 MiB. */
  chunkSize?: number;
}

export interface PushResult {
  /** The reference pinned to the pushed manifest's digest. */
  ref: Reference;
  digest: Digest;
  uploaded: number;
  mounted: number;
  existing: number;
  uploadedBytes: number;
}

interface Tally {
  uploaded: number;
  mounted: number;
  existing: number;
  uploadedBytes: number;
}

function mountSource(opts: PushOptions, digest: Digest, ref: Reference): string | undefined {
  const m = opts.mountFrom;
  if (m === undefined) return undefined;
  const raw = m instanceof Map ? m.get(digest) : (m as Record<string, string>)[digest];
  if (raw === undefined) return undefined;
  const src = parseReference(
    raw.includes('/') && /[.:]|^localhost\//.test(raw.split('/')[0]!) ? raw : `${ref.domain}/${raw}`,
    {
      defaultTag: false,
    },
  );
  return src.domain === ref.domain && src.path !== ref.path ? src.path : undefined;
}

async function putManifest(opts: {
  client: RegistryClient;
  ref: Reference;
  reference: string;
  descriptor: Descriptor;
  bytes: Buffer;
  shown: string;
}): Promise<void> {
  const path = `/v2/${opts.ref.path}/manifests/${opts.reference}`;
  const res = await opts.client.request({
    method: 'PUT',
    path,
    scopes: [`repository:${opts.ref.path}:pull,push`],
    headers: { 'Content-Type': opts.descriptor.mediaType },
    body: () => opts.bytes,
    what: `manifest ${opts.descriptor.digest} of ${opts.shown}`,
  });
  if (res.status !== 201 && res.status !== 200 && res.status !== 202) return res.fail();
  await res.discard();
  const claimed = res.headers.get('docker-content-digest');
  if (claimed !== null && claimed !== '' && claimed !== opts.descriptor.digest) {
    throw new GantryError(
      RegistryErrorCode.digestMismatch,
      `${opts.shown}: the registry stored the manifest as ${claimed}, not ${opts.descriptor.digest}`,
      { hint: 'the registry rewrote the manifest; pulls by digest will not find it' },
    );
  }
}

async function pushManifest(
  opts: PushOptions,
  client: RegistryClient,
  ref: Reference,
  desc: Descriptor,
  reference: string,
  tally: Tally,
): Promise<void> {
  const shown = familiarString(ref);
  const bytes = await opts.blobs.readBytes(desc.digest);
  const json = JSON.parse(bytes.toString('utf8')) as Partial<ImageManifest & ImageIndex>;
  const mediaType = desc.mediaType || (typeof json.mediaType === 'string' ? json.mediaType : '');
  if (isIndexMediaType(mediaType)) {
    for (const child of json.manifests ?? []) {
      await pushManifest(opts, client, ref, child, child.digest, tally);
    }
  } else if (isManifestMediaType(mediaType)) {
    const blobs = [json.config!, ...(json.layers ?? [])];
    await mapLimit(blobs, opts.concurrency ?? 3, async (b) => {
      const r = await uploadBlob({
        client,
        ref,
        blobs: opts.blobs,
        descriptor: b,
        mountFrom: mountSource(opts, b.digest, ref),
        chunkThreshold: opts.chunkThreshold ?? 64 * 1024 * 1024,
        chunkSize: opts.chunkSize ?? 16 * 1024 * 1024,
        what: `blob ${b.digest} of ${shown}`,
      });
      tally[r.how] += 1;
      if (r.how === 'uploaded') tally.uploadedBytes += b.size;
    });
  } else {
    throw new GantryError(
      RegistryErrorCode.mediaType,
      `${shown}: cannot push ${desc.digest} of media type ${JSON.stringify(mediaType)}`,
      {
        hint: 'only OCI/Docker image manifests and indexes can be pushed',
      },
    );
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await putManifest({ client, ref, reference, descriptor: { ...desc, mediaType }, bytes, shown });
      return;
    } catch (e) {
      if (!isTransient(e) || attempt >= client.retries) throw e;
      await client.backoff(attempt);
    }
  }
}

/**
 * Pushes an image (or index) from `blobs` to the reference's registry: blobs that exist are
 * skipped, blobs from another repository of the same registry are mounted, the rest uploaded
 * (monolithic, or chunked above `chunkThreshold`); then manifests, children before the index.
 */
export async function pushImage(opts: PushOptions): Promise<PushResult> {
  const ref = typeof opts.ref === 'string' ? parseReference(opts.ref) : opts.ref;
  const client = clientFor(ref.domain, opts);
  if (ref.digest !== undefined && ref.digest !== opts.manifest.digest) {
    throw new GantryError(
      'E_REFERENCE_INVALID',
      `cannot push ${opts.manifest.digest} to ${ref.toString()}: the reference pins another digest`,
      { hint: 'push to a tag, or to the digest of the image itself' },
    );
  }
  const tally: Tally = { uploaded: 0, mounted: 0, existing: 0, uploadedBytes: 0 };
  await pushManifest(opts, client, ref, opts.manifest, ref.tag ?? opts.manifest.digest, tally);
  return { ref: withDigest(ref, opts.manifest.digest), digest: opts.manifest.digest, ...tally };
}
