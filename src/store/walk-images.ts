import { chainIds } from '../oci/chain-id.ts';
import { type Digest, isDigest } from '../oci/digest.ts';
import { isIndexMediaType, isManifestMediaType, MediaType } from '../oci/media-types.ts';
import type { BlobStore, StoreProblem } from './types.ts';

/** Manifests and configs larger than this are not parsed (the distribution spec's manifest limit). */
const MAX_JSON_BYTES = 4 * 1024 * 1024;

/** Where a walk starts: a ref's descriptor, or a cache record's blob (no media type known). */
export interface WalkRoot {
  digest: Digest;
  mediaType?: string;
  size?: number;
  /** Who points here, for messages: `ref docker.io/library/app:1`, `cache record <key>`. */
  from: string;
}

export interface WalkResult {
  /** Every blob digest reached (present or not). */
  blobs: Set<Digest>;
  /** Chain IDs of every layer prefix of every image reached (from its config's diff_ids). */
  chainIds: Set<Digest>;
  problems: StoreProblem[];
}

type Role = 'root' | 'index-child' | 'config' | 'layer';

interface Node {
  digest: Digest;
  mediaType: string | undefined;
  size: number | undefined;
}

/**
 * Follows roots through indexes and manifests to configs and layers, reading manifest and
 * config JSON from `blobs`. A missing child manifest of an index is normal (only one platform
 * pulled) and not a problem; a missing config or layer of a present manifest is.
 */
export async function walkImages(blobs: BlobStore, roots: readonly WalkRoot[]): Promise<WalkResult> {
  const result: WalkResult = { blobs: new Set(), chainIds: new Set(), problems: [] };
  const parsed = new Set<Digest>();

  const problem = (kind: StoreProblem['kind'], digest: Digest, message: string): void => {
    result.problems.push({ kind, path: blobs.path(digest), message });
  };

  const readJson = async (node: Node, size: number, from: string): Promise<unknown> => {
    if (size > MAX_JSON_BYTES) {
      problem(
        'bad-manifest',
        node.digest,
        `${from}: ${node.digest} is ${size} bytes, too large for a manifest`,
      );
      return undefined;
    }
    try {
      return JSON.parse((await blobs.readBytes(node.digest)).toString('utf8'));
    } catch {
      return undefined;
    }
  };

  const visit = async (node: Node, role: Role, from: string): Promise<void> => {
    result.blobs.add(node.digest);
    const info = await blobs.stat(node.digest);
    if (info === undefined) {
      if (role !== 'index-child' && !isForeignLayer(node.mediaType)) {
        problem(
          'missing-blob',
          node.digest,
          `${from} needs ${role} ${node.digest}, which is not in the store`,
        );
      }
      return;
    }
    if (node.size !== undefined && info.size !== node.size) {
      problem(
        'size-mismatch',
        node.digest,
        `${from} says ${node.digest} has ${node.size} bytes; the blob has ${info.size}`,
      );
    }
    if (role === 'layer' || role === 'config' || parsed.has(node.digest)) return;
    parsed.add(node.digest);
    const declared = isIndexMediaType(node.mediaType) || isManifestMediaType(node.mediaType);
    // Cache roots and unknown media types: look inside only when it could be JSON.
    if (!declared && info.size > MAX_JSON_BYTES) return;
    const doc = await readJson(node, info.size, from);
    const obj = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>) : undefined;
    const isIndex = obj !== undefined && Array.isArray(obj.manifests);
    const isManifest = obj !== undefined && typeof obj.config === 'object' && Array.isArray(obj.layers);
    if (!isIndex && !isManifest) {
      if (declared)
        problem('bad-manifest', node.digest, `${from}: ${node.digest} is not a readable ${node.mediaType}`);
      return;
    }
    const here = `${from} → ${node.digest.slice(0, 19)}`;
    const children = isIndex ? (obj.manifests as unknown[]) : [obj.config, ...(obj.layers as unknown[])];
    const nodes: Node[] = [];
    for (const child of children) {
      const n = toNode(child);
      if (n === undefined) {
        problem('bad-manifest', node.digest, `${from}: ${node.digest} has an invalid descriptor`);
        return;
      }
      nodes.push(n);
    }
    if (isIndex) {
      for (const n of nodes) await visit(n, 'index-child', here);
      return;
    }
    const [config, ...layers] = nodes;
    if (config === undefined) return;
    await visit(config, 'config', here);
    for (const n of layers) await visit(n, 'layer', here);
    await collectChainIds(config, here);
  };

  const collectChainIds = async (config: Node, from: string): Promise<void> => {
    const info = await blobs.stat(config.digest);
    if (info === undefined) return;
    const isImageConfig =
      config.mediaType === MediaType.ociConfig || config.mediaType === MediaType.dockerConfig;
    if (!isImageConfig && info.size > MAX_JSON_BYTES) return;
    const doc = await readJson(config, info.size, from);
    const diffIds = readDiffIds(doc);
    if (diffIds === undefined) {
      if (isImageConfig)
        problem('bad-config', config.digest, `${from}: config ${config.digest} has no valid rootfs.diff_ids`);
      return;
    }
    for (const id of chainIds(diffIds)) result.chainIds.add(id);
  };

  for (const root of roots) {
    await visit({ digest: root.digest, mediaType: root.mediaType, size: root.size }, 'root', root.from);
  }
  return result;
}

function toNode(v: unknown): Node | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { digest, mediaType, size } = v as Record<string, unknown>;
  if (typeof digest !== 'string' || !isDigest(digest)) return undefined;
  if (size !== undefined && (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0))
    return undefined;
  return { digest, mediaType: typeof mediaType === 'string' ? mediaType : undefined, size };
}

function readDiffIds(doc: unknown): Digest[] | undefined {
  if (typeof doc !== 'object' || doc === null) return undefined;
  const rootfs = (doc as Record<string, unknown>).rootfs;
  if (typeof rootfs !== 'object' || rootfs === null) return undefined;
  const ids = (rootfs as Record<string, unknown>).diff_ids;
  if (!Array.isArray(ids) || !ids.every((d) => typeof d === 'string' && isDigest(d))) return undefined;
  return ids as Digest[];
}

/** Foreign (non-distributable) layers are fetched from their URLs, not kept in the store. */
function isForeignLayer(mediaType: string | undefined): boolean {
  return (
    mediaType !== undefined && (mediaType.includes('.foreign.') || mediaType.includes('nondistributable'))
  );
}
