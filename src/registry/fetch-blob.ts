import { GantryError, isGantryError } from '../errors/gantry-error.ts';
import type { Descriptor } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { RegistryErrorCode } from './errors.ts';
import { redactUrl } from './redact.ts';
import { isTransient, type RegistryClient } from './registry-client.ts';
import { digestMismatch, TruncatedError, verifyStream } from './verify-stream.ts';

function retryable(e: unknown): boolean {
  return e instanceof TruncatedError || isTransient(e);
}

/**
 * Downloads a blob into `blobs`, verified against the descriptor's digest and size while it
 * streams; a broken or short download is started again from the beginning (up to the client's
 * retries). Returns the bytes downloaded (0 when the store already had it).
 */
export async function fetchBlob(opts: {
  client: RegistryClient;
  repo: string;
  descriptor: Descriptor;
  blobs: BlobStore;
  what: string;
}): Promise<number> {
  const { client, descriptor: d } = opts;
  if (await opts.blobs.has(d.digest)) return 0;
  const path = `/v2/${opts.repo}/blobs/${d.digest}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await client.request({
        method: 'GET',
        path,
        scopes: [`repository:${opts.repo}:pull`],
        what: opts.what,
      });
      if (res.status !== 200) return await res.fail();
      const url = redactUrl(res.url || client.url(path));
      // Sizes are checked here (a short body is retried); the store checks the digest, so the
      // bytes are hashed once.
      const target = { digest: d.digest, size: d.size, what: opts.what, url, hash: false };
      try {
        await opts.blobs.put(verifyStream(res.chunks(), target), { digest: d.digest, size: d.size });
      } catch (e) {
        if (isGantryError(e, 'E_BLOB_DIGEST_MISMATCH')) throw digestMismatch(target, e);
        throw e;
      }
      return d.size;
    } catch (e) {
      if (!retryable(e) || attempt >= client.retries) throw e;
      await client.backoff(attempt);
    }
  }
}

/** Fetches a small blob (a config) into memory, verified. */
export async function fetchBlobBytes(opts: {
  client: RegistryClient;
  repo: string;
  descriptor: Descriptor;
  what: string;
  limit: number;
}): Promise<Buffer> {
  const { client, descriptor: d } = opts;
  if (d.size > opts.limit) {
    throw new GantryError(
      RegistryErrorCode.tooLarge,
      `${opts.what} is ${d.size} bytes, more than the ${opts.limit} allowed`,
      {
        hint: 'image configs this large are refused; check the image',
      },
    );
  }
  const path = `/v2/${opts.repo}/blobs/${d.digest}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await client.request({
        method: 'GET',
        path,
        scopes: [`repository:${opts.repo}:pull`],
        what: opts.what,
      });
      if (res.status !== 200) return await res.fail();
      const url = redactUrl(res.url || client.url(path));
      const parts: Uint8Array[] = [];
      for await (const c of verifyStream(res.chunks(), {
        digest: d.digest,
        size: d.size,
        what: opts.what,
        url,
      }))
        parts.push(c);
      return Buffer.concat(parts);
    } catch (e) {
      if (!retryable(e) || attempt >= client.retries) throw e;
      await client.backoff(attempt);
    }
  }
}
