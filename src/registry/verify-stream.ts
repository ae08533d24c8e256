import { createHash } from 'node:crypto';
import { GantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import { RegistryErrorCode } from './errors.ts';

export interface VerifyTarget {
  digest: Digest;
  size: number;
  /** For messages: `layer sha256:... of localhost:5000/a:1`. */
  what: string;
  /** Redacted URL the bytes came from. */
  url: string;
  /** Check the digest here (default). Off when the consumer verifies it, to hash once. */
  hash?: boolean;
}

/** A short body: the connection ended early. Worth another attempt. */
export class TruncatedError extends GantryError {
  constructor(target: VerifyTarget, got: number) {
    super(
      RegistryErrorCode.sizeMismatch,
      `${target.what}: the download ended after ${got} of ${target.size} bytes (${target.url})`,
      { hint: 'the connection was cut; gantry retries, and nothing partial is kept' },
    );
  }
}

/**
 * Passes `source` through while hashing and counting, and fails before the last chunk is
 * acknowledged when the bytes are not exactly `size` bytes hashing to `digest`. A consumer that
 * writes to a temp file therefore never commits bad content.
 */
export async function* verifyStream(
  source: AsyncIterable<Uint8Array>,
  target: VerifyTarget,
): AsyncGenerator<Uint8Array> {
  const hash = target.hash === false ? undefined : createHash('sha256');
  let n = 0;
  for await (const chunk of source) {
    n += chunk.length;
    if (n > target.size) {
      throw new GantryError(
        RegistryErrorCode.sizeMismatch,
        `${target.what}: the registry sent more than the ${target.size} bytes the descriptor states (${target.url})`,
        { hint: 'the registry or a proxy is serving different content; nothing was stored' },
      );
    }
    hash?.update(chunk);
    yield chunk;
  }
  if (n < target.size) throw new TruncatedError(target, n);
  if (hash === undefined) return;
  const got = `sha256:${hash.digest('hex')}`;
  if (got !== target.digest) {
    throw new GantryError(
      RegistryErrorCode.digestMismatch,
      `${target.what}: content from ${target.url} hashes to ${got}, not ${target.digest}`,
      { hint: 'the registry or a proxy is serving corrupted or altered content; nothing was stored' },
    );
  }
}

/** The digest error for content a consumer found not to match (e.g. the store's own check). */
export function digestMismatch(target: VerifyTarget, cause?: unknown): GantryError {
  return new GantryError(
    RegistryErrorCode.digestMismatch,
    `${target.what}: content from ${target.url} does not hash to ${target.digest}`,
    {
      hint: 'the registry or a proxy is serving corrupted or altered content; nothing was stored',
      cause,
    },
  );
}

/** Checks bytes already in memory against a digest (and size when known). */
export function verifyBytes(bytes: Uint8Array, target: Omit<VerifyTarget, 'size'> & { size?: number }): void {
  if (target.size !== undefined && bytes.length !== target.size) {
    throw new GantryError(
      RegistryErrorCode.sizeMismatch,
      `${target.what}: got ${bytes.length} bytes from ${target.url}, the descriptor states ${target.size}`,
      { hint: 'the registry or a proxy is serving different content; nothing was stored' },
    );
  }
  const got = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  if (got !== target.digest) {
    throw new GantryError(
      RegistryErrorCode.digestMismatch,
      `${target.what}: content from ${target.url} hashes to ${got}, not ${target.digest}`,
      { hint: 'the registry or a proxy is serving corrupted or altered content; nothing was stored' },
    );
  }
}
