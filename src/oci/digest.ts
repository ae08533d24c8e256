import { GantryError } from '../errors/gantry-error.ts';

/** A validated `sha256:<64 lowercase hex>` digest. Only `parseDigest`/`sha256Digest` make one. */
export type Digest = string & { readonly __brand: 'Digest' };

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;

export function isDigest(s: string): s is Digest {
  return DIGEST_RE.test(s);
}

/** Validates untrusted text (from a manifest, a registry, a path) before it becomes a Digest. */
export function parseDigest(s: string, context = 'digest'): Digest {
  if (!isDigest(s)) {
    const shown = s.length > 80 ? `${s.slice(0, 80)}...` : s;
    throw new GantryError('E_DIGEST_INVALID', `invalid ${context} ${JSON.stringify(shown)}`, {
      hint: 'a digest must be "sha256:" followed by 64 lowercase hex characters',
    });
  }
  return s;
}

/** Makes a Digest from a hex sha256 string computed locally. */
export function sha256Digest(hex: string): Digest {
  return parseDigest(`sha256:${hex}`);
}

/** The 64-character hex part, safe to use as a file name. */
export function digestHex(d: Digest): string {
  return d.slice('sha256:'.length);
}
