import type { Digest } from '../oci/digest.ts';
import { MediaType } from '../oci/media-types.ts';
import { rfc3339 } from '../oci/time.ts';
import type {
  ContainerConfig,
  Descriptor,
  HistoryEntry,
  ImageConfig,
  ImageManifest,
  Platform,
} from '../oci/types.ts';

/** RFC 3339 time of a SOURCE_DATE_EPOCH (whole seconds, `Z`), as BuildKit writes `created`. */
export function epochToCreated(epoch: number): string {
  return rfc3339(new Date(Math.floor(epoch) * 1000));
}

export interface HistoryEntryOptions {
  createdBy: string;
  created?: string;
  comment?: string;
  author?: string;
  /** True for steps that changed only the config (ENV, CMD, ...). */
  emptyLayer?: boolean;
}

export function historyEntry(o: HistoryEntryOptions): HistoryEntry {
  const h: HistoryEntry = {};
  if (o.created !== undefined) h.created = o.created;
  h.created_by = o.createdBy;
  if (o.author !== undefined) h.author = o.author;
  if (o.comment !== undefined) h.comment = o.comment;
  if (o.emptyLayer === true) h.empty_layer = true;
  return h;
}

export interface BuildImageConfigOptions {
  platform: Platform;
  diffIds: Digest[];
  config?: ContainerConfig;
  history?: HistoryEntry[];
  created?: string;
  author?: string;
}

/**
 * An OCI image config. History must describe exactly one non-empty entry per layer when given
 * (a mismatch is a bug in the caller, reported as a plain Error).
 */
export function buildImageConfig(o: BuildImageConfigOptions): ImageConfig {
  if (o.history !== undefined) {
    const layered = o.history.filter((h) => h.empty_layer !== true).length;
    if (layered !== o.diffIds.length) {
      throw new Error(`history has ${layered} layer entries for ${o.diffIds.length} diffIDs`);
    }
  }
  const image: ImageConfig = {
    architecture: o.platform.architecture,
    os: o.platform.os,
    rootfs: { type: 'layers', diff_ids: [...o.diffIds] },
  };
  if (o.created !== undefined) image.created = o.created;
  if (o.author !== undefined) image.author = o.author;
  if (o.platform.variant !== undefined) image.variant = o.platform.variant;
  if (o.platform['os.version'] !== undefined) image['os.version'] = o.platform['os.version'];
  if (o.config !== undefined) image.config = o.config;
  if (o.history !== undefined) image.history = o.history;
  return image;
}

export interface BuildManifestOptions {
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** An OCI image manifest. */
export function buildManifest(o: BuildManifestOptions): ImageManifest {
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: o.config,
    layers: o.layers,
  };
  if (o.annotations !== undefined && Object.keys(o.annotations).length > 0)
    manifest.annotations = o.annotations;
  return manifest;
}
