import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import { rfc3339 } from '../oci/time.ts';
import type { ContainerConfig, Descriptor, Platform } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { applyLayer } from './apply-layer.ts';
import { entriesFromDirectory } from './entries-from-directory.ts';
import { buildImageConfig, epochToCreated, historyEntry } from './image-config.ts';
import { putImage } from './put-image.ts';
import { writeLayer } from './write-layer.ts';

export interface ImportRootfsOptions {
  /** A directory, or a tar / tar.gz file, holding the root file system. */
  source: string;
  blobs: BlobStore;
  config?: Partial<ContainerConfig>;
  platform: Platform;
  /** Clamps file mtimes and sets `created`; makes the result reproducible. */
  sourceDateEpoch?: number;
  /** `created` when no sourceDateEpoch is given (default: now). */
  created?: string;
  /** The history line (default "gantry import"). */
  createdBy?: string;
  /** Where a tar source is unpacked before it is re-archived in sorted order (default: the OS temp dir). */
  tmpDir?: string;
}

export interface ImportedImage {
  manifest: Descriptor;
  config: Descriptor;
  diffId: Digest;
  /** Entries of a tar source skipped while unpacking it (devices without root, ...). */
  warnings: string[];
}

/**
 * Makes a one-layer OCI image from a root file system (how base images are made from
 * busybox-static or golang-go). A tar source is unpacked into a temporary directory first, so
 * the layer is always written in the same sorted, normalised form.
 */
export async function importRootfs(o: ImportRootfsOptions): Promise<ImportedImage> {
  let st: Awaited<ReturnType<typeof stat>>;
  try {
    st = await stat(o.source);
  } catch (e) {
    throw new GantryError('E_IMPORT_SOURCE_MISSING', `cannot read import source ${o.source}`, {
      hint: 'give a directory or a .tar / .tar.gz file that exists',
      cause: e,
    });
  }
  let dir = o.source;
  let scratch: string | undefined;
  let warnings: string[] = [];
  try {
    if (!st.isDirectory()) {
      scratch = await mkdtemp(join(o.tmpDir ?? tmpdir(), 'gantry-import-'));
      const isRoot = process.getuid?.() === 0;
      warnings = (await applyLayer(createReadStream(o.source), scratch, { isRoot })).warnings;
      dir = scratch;
    }
    const layer = await writeLayer(entriesFromDirectory(dir), {
      blobs: o.blobs,
      compression: 'none',
      sourceDateEpoch: o.sourceDateEpoch,
    });
    const created =
      o.sourceDateEpoch !== undefined
        ? epochToCreated(o.sourceDateEpoch)
        : (o.created ?? rfc3339(new Date()));
    const config = buildImageConfig({
      platform: o.platform,
      diffIds: [layer.diffId],
      config: o.config ?? {},
      created,
      history: [historyEntry({ created, createdBy: o.createdBy ?? 'gantry import' })],
    });
    const image = await putImage({ blobs: o.blobs, config, layers: [layer.descriptor] });
    return { ...image, diffId: layer.diffId, warnings };
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}
