import { mkdir } from 'node:fs/promises';
import { applyLayer } from '../image/apply-layer.ts';
import { readImage } from '../image/read-image.ts';
import type { Descriptor } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';

export interface ExportLocalOptions {
  blobs: BlobStore;
  manifest: Descriptor;
  /** The directory to unpack the image's file system into (created if missing). */
  dest: string;
  /** Set ownership and create device nodes (default: whether this process runs as root). */
  isRoot?: boolean;
}

/** Unpacks every layer of an image, in order, into `dest` (`--output type=local`). */
export async function exportLocal(o: ExportLocalOptions): Promise<{ warnings: string[] }> {
  const { manifest } = await readImage(o.blobs, o.manifest);
  await mkdir(o.dest, { recursive: true });
  const isRoot = o.isRoot ?? process.getuid?.() === 0;
  const warnings: string[] = [];
  for (const layer of manifest.layers) {
    const result = await applyLayer(o.blobs.open(layer.digest), o.dest, { isRoot });
    warnings.push(...result.warnings);
  }
  return { warnings };
}
