import { createHash } from 'node:crypto';

/** A step's cache key: sha256 over its parent's key, its kind and what determines its result. */
export function stepKey(parentKey: string, kind: string, payload: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([parentKey, kind, payload]))
    .digest('hex');
}

export function baseKey(
  base: { kind: 'scratch' } | { kind: 'image'; manifestDigest: string },
  platform: string,
): string {
  return stepKey(
    '',
    'base',
    base.kind === 'scratch' ? ['scratch', platform] : ['image', base.manifestDigest, platform],
  );
}
