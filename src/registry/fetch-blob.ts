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

type BlobResponse = Awaited<ReturnType<RegistryClient['request']>>;

/**
 * GETs a blob and hands the response (and its redacted URL) to `use`; a transient failure or a
 * short body, in the request or in `use`, starts again from the beginning (up to the client's
 * retries).
 */
async function getBlob<T>(
  opts: { client: RegistryClient; repo: string; descriptor: Descriptor; what: string },
  use: (res: BlobResponse, url: string) => Promise<T>,
): Promise<T> {
  const { client } = opts;
  const path = `/v2/${opts.repo}/blobs/${opts.descriptor.digest}`;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await client.request({
        method: 'GET',
        path,
        scopes: [`repository:${opts.repo}:pull`],
        what: opts.what,
      });
      if (res.status !== 200) return await res.fail();
      return await use(res, redactUrl(res.url || client.url(path)));
    } catch (e) {
      if (!retryable(e) || attempt >= client.retries) throw e;
      await client.backoff(attempt);
    }
  }
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
  const d = opts.descriptor;
  if (await opts.blobs.has(d.digest)) return 0;
  return getBlob(opts, async (res, url) => {
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
  });
}

/** Fetches a small blob (a config) into memory, verified. */
export async function fetchBlobBytes(opts: {
  client: RegistryClient;
  repo: string;
  descriptor: Descriptor;
  what: string;
  limit: number;
}): Promise<Buffer> {
  const d = opts.descriptor;
  if (d.size > opts.limit) {
    throw new GantryError(
      RegistryErrorCode.tooLarge,
      `${opts.what} is ${d.size} bytes, more than the ${opts.limit} allowed`,
      {
        hint: 'image configs this large are refused; check the image',
      },
    );
  }
  return getBlob(opts, async (res, url) => {
    const parts: Uint8Array[] = [];
    for await (const c of verifyStream(res.chunks(), {
      digest: d.digest,
      size: d.size,
      what: opts.what,
      url,
    })) {
      parts.push(c);
    }
    return Buffer.concat(parts);
  });
}
