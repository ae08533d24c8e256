import { createHash } from 'node:crypto';
import { type Digest, sha256Digest } from '../oci/digest.ts';

/**
 * The chain IDs of a layer stack (OCI image spec, "Layer ChainID"): the first is the first
 * diffID; each next one is sha256 of `<previous chain ID> <diffID>`. Snapshots are keyed by them.
 */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  for (const diffId of diffIds) {
    const prev = out[out.length - 1];
    out.push(
      prev === undefined
        ? diffId
        : sha256Digest(createHash('sha256').update(`${prev} ${diffId}`).digest('hex')),
    );
  }
  return out;
}

/** The chain ID of the whole stack, or undefined for no layers. */
export function chainId(diffIds: readonly Digest[]): Digest | undefined {
  return chainIds(diffIds).at(-1);
}
