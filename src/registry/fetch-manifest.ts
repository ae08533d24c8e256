import { createHash } from 'node:crypto';
import { GantryError } from '../errors/gantry-error.ts';
import { type Digest, sha256Digest } from '../oci/digest.ts';
import { isIndexMediaType, isManifestMediaType, MediaType } from '../oci/media-types.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { RegistryErrorCode } from './errors.ts';
import { redactUrl } from './redact.ts';
import type { RegistryClient } from './registry-client.ts';
import { verifyBytes } from './verify-stream.ts';

export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.ociManifest,
  MediaType.dockerManifestList,
  MediaType.dockerManifest,
].join(', ');

const MANIFEST_LIMIT = 4 * 1024 * 1024;
const GENERIC_TYPES = new Set(['', 'application/json', 'application/octet-stream', 'text/plain']);

export type ParsedManifest =
  | { kind: 'index'; descriptor: Descriptor; json: ImageIndex; bytes: Buffer }
  | { kind: 'manifest'; descriptor: Descriptor; json: ImageManifest; bytes: Buffer };

function mediaTypeError(what: string, url: string, got: string): GantryError {
  const schema1 = got.includes('manifest.v1');
  return new GantryError(
    RegistryErrorCode.mediaType,
    `${what}: ${redactUrl(url)} answered with media type ${JSON.stringify(got)}, which is not an image manifest or index`,
    {
      hint: schema1
        ? 'Docker schema 1 manifests are deprecated and not supported; re-push the image with a current client'
        : `expected one of ${MANIFEST_ACCEPT}`,
    },
  );
}

/**
 * Decides what a manifest is from its Content-Type, its `mediaType` field and its shape, and
 * checks them against each other. Throws E_REGISTRY_MEDIA_TYPE / E_REGISTRY_MANIFEST_INVALID.
 */
export function parseManifestBytes(
  bytes: Buffer,
  opts: { contentType: string; digest: Digest; what: string; url: string; platform?: Descriptor['platform'] },
): ParsedManifest {
  const header = opts.contentType.split(';')[0]!.trim().toLowerCase();
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    if (!GENERIC_TYPES.has(header) && !isIndexMediaType(header) && !isManifestMediaType(header)) {
      throw mediaTypeError(opts.what, opts.url, header);
    }
    throw new GantryError(
      RegistryErrorCode.manifestInvalid,
      `${opts.what}: the manifest from ${redactUrl(opts.url)} is not JSON`,
      {
        hint: 'the registry served something that is not a manifest',
      },
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new GantryError(
      RegistryErrorCode.manifestInvalid,
      `${opts.what}: the manifest from ${redactUrl(opts.url)} is not a JSON object`,
      {
        hint: 'the registry served something that is not a manifest',
      },
    );
  }
  const obj = json as Record<string, unknown>;
  const field = typeof obj.mediaType === 'string' ? obj.mediaType : '';
  let mediaType: string;
  if (isIndexMediaType(header) || isManifestMediaType(header)) {
    if (field !== '' && field !== header) {
      throw new GantryError(
        RegistryErrorCode.mediaType,
        `${opts.what}: ${redactUrl(opts.url)} sent Content-Type ${header} for a manifest whose mediaType is ${field}`,
        { hint: 'the registry or a proxy rewrote the content type; the manifest cannot be trusted' },
      );
    }
    mediaType = header;
  } else if (GENERIC_TYPES.has(header)) {
    if (isIndexMediaType(field) || isManifestMediaType(field)) mediaType = field;
    else if (field !== '') throw mediaTypeError(opts.what, opts.url, field);
    else if (Array.isArray(obj.manifests)) mediaType = MediaType.ociIndex;
    else if (typeof obj.config === 'object' && Array.isArray(obj.layers)) mediaType = MediaType.ociManifest;
    else throw mediaTypeError(opts.what, opts.url, header === '' ? '(none)' : header);
  } else {
    throw mediaTypeError(opts.what, opts.url, header);
  }
  if (obj.schemaVersion !== 2) {
    throw new GantryError(
      RegistryErrorCode.manifestInvalid,
      `${opts.what}: schemaVersion is ${String(obj.schemaVersion)}, not 2`,
      {
        hint: 'only image manifest schema version 2 is supported',
      },
    );
  }
  const descriptor: Descriptor = { mediaType, digest: opts.digest, size: bytes.length };
  if (opts.platform !== undefined) descriptor.platform = opts.platform;
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(obj.manifests)) throw invalidShape(opts, 'an index without "manifests"');
    for (const m of obj.manifests) checkDescriptor(m, opts);
    return { kind: 'index', descriptor, json: obj as unknown as ImageIndex, bytes };
  }
  if (typeof obj.config !== 'object' || !Array.isArray(obj.layers))
    throw invalidShape(opts, 'a manifest without "config" and "layers"');
  checkDescriptor(obj.config, opts);
  for (const l of obj.layers) checkDescriptor(l, opts);
  return { kind: 'manifest', descriptor, json: obj as unknown as ImageManifest, bytes };
}

function invalidShape(opts: { what: string; url: string }, why: string): GantryError {
  return new GantryError(
    RegistryErrorCode.manifestInvalid,
    `${opts.what}: ${redactUrl(opts.url)} served ${why}`,
    {
      hint: 'the manifest is malformed; re-push the image',
    },
  );
}

function checkDescriptor(d: unknown, opts: { what: string; url: string }): void {
  const o = d as Record<string, unknown> | null;
  if (
    typeof o !== 'object' ||
    o === null ||
    typeof o.mediaType !== 'string' ||
    typeof o.digest !== 'string' ||
    !/^sha256:[a-f0-9]{64}$/.test(o.digest) ||
    typeof o.size !== 'number' ||
    !Number.isSafeInteger(o.size) ||
    o.size < 0
  ) {
    throw invalidShape(
      opts,
      `a descriptor that is not {mediaType, sha256 digest, size}: ${JSON.stringify(d).slice(0, 200)}`,
    );
  }
}

/**
 * Fetches a manifest or index by tag or digest and verifies it. A digest already in `blobs` is
 * read from there (a digest-pinned reference is never resolved again). Verified bytes are stored
 * in `blobs` when given.
 */
export async function fetchManifest(opts: {
  client: RegistryClient;
  repo: string;
  /** A tag or a digest. */
  reference: string;
  /** When known (child of an index, pinned reference): the expected digest and size. */
  expected?: { digest: Digest; size?: number; platform?: Descriptor['platform'] };
  blobs?: BlobStore;
  what: string;
}): Promise<ParsedManifest> {
  const path = `/v2/${opts.repo}/manifests/${opts.reference}`;
  const exp = opts.expected;
  if (exp !== undefined && opts.blobs !== undefined && (await opts.blobs.has(exp.digest))) {
    const bytes = await opts.blobs.readBytes(exp.digest);
    const parsed = JSON.parse(bytes.toString('utf8')) as { mediaType?: string };
    return parseManifestBytes(bytes, {
      contentType: parsed.mediaType ?? '',
      digest: exp.digest,
      what: opts.what,
      url: `store:${exp.digest}`,
      platform: exp.platform,
    });
  }
  const res = await opts.client.request({
    method: 'GET',
    path,
    scopes: [`repository:${opts.repo}:pull`],
    headers: { Accept: MANIFEST_ACCEPT },
    what: opts.what,
  });
  if (res.status !== 200) return res.fail();
  const url = res.url || opts.client.url(path);
  const bytes = await res.bytes(MANIFEST_LIMIT);
  const computed = sha256Digest(createHash('sha256').update(bytes).digest('hex'));
  if (exp !== undefined) {
    verifyBytes(bytes, { digest: exp.digest, size: exp.size, what: opts.what, url: redactUrl(url) });
  } else {
    const claimed = res.headers.get('docker-content-digest');
    if (claimed?.startsWith('sha256:') && claimed !== computed) {
      throw new GantryError(
        RegistryErrorCode.digestMismatch,
        `${opts.what}: ${redactUrl(url)} says the manifest is ${claimed}, but its content hashes to ${computed}`,
        { hint: 'the registry or a proxy is serving altered content; nothing was stored' },
      );
    }
  }
  const parsed = parseManifestBytes(bytes, {
    contentType: res.headers.get('content-type') ?? '',
    digest: computed,
    what: opts.what,
    url,
    platform: exp?.platform,
  });
  if (opts.blobs !== undefined) await opts.blobs.putBytes(bytes, { digest: computed, size: bytes.length });
  return parsed;
}
