import { createHash } from 'node:crypto';
import { type Digest, parseDigest, sha256Digest } from './digest.ts';

/**
 * The chain IDs of every prefix of a layer stack (OCI image spec, "Layer ChainID"):
 * ChainID(L0) = DiffID(L0), ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln)).
 * Element i names layers 0..i applied in order; snapshots are keyed by them. Diff IDs come
 * from image configs, so each is validated before use.
 */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  let previous: Digest | undefined;
  for (const raw of diffIds) {
    const diffId = parseDigest(raw, 'diff ID');
    previous =
      previous === undefined
        ? diffId
        : sha256Digest(createHash('sha256').update(`${previous} ${diffId}`).digest('hex'));
    out.push(previous);
  }
  return out;
}

/** The chain ID of the whole stack, or undefined for no layers. */
export function chainId(diffIds: readonly Digest[]): Digest | undefined {
  return chainIds(diffIds).at(-1);
}
