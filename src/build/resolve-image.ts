import { GantryError, isGantryError } from '../errors/gantry-error.ts';
import { readImage } from '../image/read-image.ts';
import type { Platform } from '../oci/types.ts';
import type { RegistryAccessOptions } from '../registry/client-options.ts';
// Not the registry index: a build served from the store never initialises the pull code.
import { familiarString, parseReference } from '../registry/reference.ts';
import type { Store } from '../store/types.ts';
import { layerSize } from './layer-size.ts';
import type { BuiltLayer, ResolvedImage } from './types.ts';

export interface ResolveImageOptions {
  store: Store;
  pull: 'always' | 'missing' | 'never';
  platform: Platform;
  registry: RegistryAccessOptions;
  onPull?: (ref: string) => void;
}

/**
 * Finds an image for FROM / COPY --from: in the store by its normalized name, else (or with
 * --pull always) from its registry. A digest-pinned reference found locally is never re-resolved.
 */
export async function resolveImage(ref: string, opts: ResolveImageOptions): Promise<ResolvedImage> {
  const parsed = parseReference(ref);
  const name = parsed.toString();
  const local = await opts.store.refs.get(name);
  const usable = local !== undefined && (opts.pull !== 'always' || parsed.digest !== undefined);
  let manifestDesc = usable ? local : undefined;
  if (manifestDesc === undefined) {
    if (opts.pull === 'never') {
      throw new GantryError('E_IMAGE_NOT_FOUND', `image ${familiarString(parsed)} is not in the store`, {
        hint: `pull it first (gantry pull ${familiarString(parsed)}) or build without --pull=never`,
      });
    }
    opts.onPull?.(familiarString(parsed));
    try {
      const { pullImage } = await import('../registry/pull-image.ts'); // only when not in the store
      const pulled = await pullImage({
        ...opts.registry,
        ref: parsed,
        blobs: opts.store.blobs,
        refs: opts.store.refs,
        platform: {
          os: opts.platform.os,
          architecture: opts.platform.architecture,
          ...(opts.platform.variant ? { variant: opts.platform.variant } : {}),
        },
      });
      manifestDesc = pulled.manifest;
    } catch (e) {
      if (
        local !== undefined &&
        isGantryError(e) &&
        e.code === 'E_REGISTRY_UNREACHABLE' &&
        opts.pull === 'always'
      ) {
        manifestDesc = local;
      } else throw e;
    }
  }
  const loaded = await readImage(opts.store.blobs, manifestDesc);
  const diffIds = loaded.config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== loaded.manifest.layers.length) {
    throw new GantryError(
      'E_IMAGE_INVALID',
      `image ${familiarString(parsed)} lists ${loaded.manifest.layers.length} layers but ${diffIds.length} diff_ids`,
      {
        hint: 'the image is malformed; pull or import it again',
      },
    );
  }
  const layers: BuiltLayer[] = [];
  for (const [i, d] of loaded.manifest.layers.entries()) {
    layers.push({ diffId: diffIds[i]!, descriptor: d, size: await layerSize(opts.store.blobs, d) });
  }
  return { ref: name, manifest: manifestDesc, config: loaded.config, layers };
}
