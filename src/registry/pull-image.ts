import { GantryError } from '../errors/gantry-error.ts';
import { isGzipLayer } from '../oci/media-types.ts';
import type { Descriptor, ImageConfig, ImageManifest } from '../oci/types.ts';
import type { BlobStore, RefStore } from '../store/types.ts';
import { clientFor, type RegistryAccessOptions } from './client-options.ts';
import { RegistryErrorCode } from './errors.ts';
import { fetchBlob, fetchBlobBytes } from './fetch-blob.ts';
import { fetchManifest } from './fetch-manifest.ts';
import { mapLimit } from './map-limit.ts';
import { hostPlatform, type PlatformSpec, parsePlatform, selectPlatform } from './platform.ts';
import { familiarString, parseReference, type Reference, withDigest } from './reference.ts';

const CONFIG_LIMIT = 8 * 1024 * 1024;

export interface ResolveOptions extends RegistryAccessOptions {
  ref: string | Reference;
  /** `os/arch[/variant]` or a parsed platform; default: this host's. */
  platform?: string | PlatformSpec;
  /** When given, the manifest(s) and config are stored here, verified. */
  blobs?: BlobStore;
}

export interface ResolvedImage {
  /** The reference pinned to the top-level digest the registry resolved it to. */
  ref: Reference;
  /** The top-level index, when the reference named one. */
  index?: Descriptor;
  /** The platform's image manifest. */
  manifest: Descriptor;
  imageManifest: ImageManifest;
  configDescriptor: Descriptor;
  config: ImageConfig;
}

export interface PullOptions extends ResolveOptions {
  blobs: BlobStore;
  /** When given, the platform manifest's descriptor is stored under the reference's name. */
  refs?: RefStore;
  /** Layers downloaded at once. Default 3. */
  concurrency?: number;
  onLayer?: (event: { digest: Descriptor['digest']; size: number; cached: boolean }) => void;
}

export interface PulledImage extends ResolvedImage {
  layers: Descriptor[];
  /** Bytes fetched from the registry for layers (0 when all were present). */
  downloadedBytes: number;
}

function resolvePlatform(p: ResolveOptions['platform']): PlatformSpec {
  if (p === undefined) return hostPlatform(process.platform, process.arch);
  return typeof p === 'string' ? parsePlatform(p) : p;
}

function checkConfig(json: unknown, what: string): ImageConfig {
  const c = json as Partial<ImageConfig> | null;
  if (
    typeof c !== 'object' ||
    c === null ||
    typeof c.rootfs !== 'object' ||
    !Array.isArray(c.rootfs?.diff_ids)
  ) {
    throw new GantryError(
      RegistryErrorCode.manifestInvalid,
      `${what} is not an image config (no rootfs.diff_ids)`,
      {
        hint: 'the manifest points at something that is not a container image; it may be an artifact',
      },
    );
  }
  return c as ImageConfig;
}

/** Fetches the manifest and config of an image (no layers): what `FROM` needs to plan. */
export async function resolveImage(opts: ResolveOptions): Promise<ResolvedImage> {
  const ref = typeof opts.ref === 'string' ? parseReference(opts.ref) : opts.ref;
  const shown = familiarString(ref);
  const client = clientFor(ref.domain, opts);
  const platform = resolvePlatform(opts.platform);
  const top = await fetchManifest({
    client,
    repo: ref.path,
    reference: ref.digest ?? ref.tag ?? 'latest',
    expected: ref.digest !== undefined ? { digest: ref.digest } : undefined,
    blobs: opts.blobs,
    what: `manifest of ${shown}`,
  });
  let index: Descriptor | undefined;
  let chosen = top;
  if (top.kind === 'index') {
    index = top.descriptor;
    const entry = selectPlatform(top.json.manifests, platform, shown);
    chosen = await fetchManifest({
      client,
      repo: ref.path,
      reference: entry.digest,
      expected: { digest: entry.digest, size: entry.size, platform: entry.platform },
      blobs: opts.blobs,
      what: `manifest ${entry.digest} of ${shown}`,
    });
    if (chosen.kind !== 'manifest') {
      throw new GantryError(
        RegistryErrorCode.manifestInvalid,
        `${shown}: the index entry for ${entry.digest} is itself an index`,
        {
          hint: 'nested indexes are not supported',
        },
      );
    }
  }
  if (chosen.kind !== 'manifest') throw new Error('unreachable: index handled above');
  const imageManifest = chosen.json;
  const configDescriptor = imageManifest.config;
  const what = `config ${configDescriptor.digest} of ${shown}`;
  let bytes: Buffer;
  if (opts.blobs !== undefined) {
    await fetchBlob({ client, repo: ref.path, descriptor: configDescriptor, blobs: opts.blobs, what });
    bytes = await opts.blobs.readBytes(configDescriptor.digest);
  } else {
    bytes = await fetchBlobBytes({
      client,
      repo: ref.path,
      descriptor: configDescriptor,
      what,
      limit: CONFIG_LIMIT,
    });
  }
  let configJson: unknown;
  try {
    configJson = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new GantryError(RegistryErrorCode.manifestInvalid, `${what} is not JSON`, {
      hint: 'the image is malformed',
    });
  }
  const config = checkConfig(configJson, what);
  const manifest: Descriptor = { ...chosen.descriptor };
  if (
    manifest.platform === undefined &&
    typeof config.os === 'string' &&
    typeof config.architecture === 'string'
  ) {
    manifest.platform = { os: config.os, architecture: config.architecture };
    if (config.variant !== undefined) manifest.platform.variant = config.variant;
  }
  const result: ResolvedImage = {
    ref: withDigest(ref, top.descriptor.digest),
    manifest,
    imageManifest,
    configDescriptor,
    config,
  };
  if (index !== undefined) result.index = index;
  return result;
}

/**
 * Pulls an image for one platform into `blobs`: manifest(s), config and layers, each verified
 * against digest and size before it becomes visible; layers in parallel. Records the platform
 * manifest under the reference's name in `refs` when given.
 */
export async function pullImage(opts: PullOptions): Promise<PulledImage> {
  const ref = typeof opts.ref === 'string' ? parseReference(opts.ref) : opts.ref;
  const client = clientFor(ref.domain, opts);
  const resolved = await resolveImage({ ...opts, ref, client });
  const shown = familiarString(ref);
  const layers = resolved.imageManifest.layers;
  if (layers.length !== resolved.config.rootfs.diff_ids.length) {
    throw new GantryError(
      RegistryErrorCode.manifestInvalid,
      `${shown}: the manifest lists ${layers.length} layers but the config has ${resolved.config.rootfs.diff_ids.length} diff_ids`,
      { hint: 'the image is malformed; re-push it' },
    );
  }
  const sizes = await mapLimit(layers, opts.concurrency ?? 3, async (layer) => {
    const n = await fetchBlob({
      client,
      repo: ref.path,
      descriptor: layer,
      blobs: opts.blobs,
      what: `layer ${layer.digest}${isGzipLayer(layer.mediaType) ? '' : ` (${layer.mediaType})`} of ${shown}`,
    });
    opts.onLayer?.({ digest: layer.digest, size: layer.size, cached: n === 0 });
    return n;
  });
  if (opts.refs !== undefined) await opts.refs.set(ref.toString(), resolved.manifest);
  return { ...resolved, layers, downloadedBytes: sizes.reduce((a, b) => a + b, 0) };
}
