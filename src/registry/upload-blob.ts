import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { GantryError } from '../errors/gantry-error.ts';
import type { Descriptor } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { RegistryErrorCode } from './errors.ts';
import { redactUrl } from './redact.ts';
import type { Reference } from './reference.ts';
import {
  isTransient,
  type RegistryClient,
  type RegistryResponse,
  type RequestBody,
} from './registry-client.ts';

export interface UploadBlobOptions {
  client: RegistryClient;
  ref: Reference;
  blobs: BlobStore;
  descriptor: Descriptor;
  /** A repository path on the same registry to mount the blob from. */
  mountFrom?: string;
  chunkThreshold: number;
  chunkSize: number;
  what: string;
}

/** A 5xx in the middle of an upload session: the session is started again. */
class SessionBroken extends GantryError {}

async function expect(res: RegistryResponse, ok: number[], what: string): Promise<void> {
  if (ok.includes(res.status)) return;
  if (res.status >= 500) {
    await res.discard();
    throw new SessionBroken(
      RegistryErrorCode.unavailable,
      `${what}: the registry answered HTTP ${res.status} (${redactUrl(res.url)})`,
      {
        hint: 'the registry had an internal error; retry later or check its logs',
      },
    );
  }
  await res.fail();
}

function nextLocation(res: RegistryResponse, what: string): string {
  const loc = res.headers.get('location');
  if (loc === null || loc === '') {
    throw new GantryError(
      RegistryErrorCode.protocol,
      `${what}: the registry started an upload without a Location (${redactUrl(res.url)})`,
      {
        hint: 'the registry does not follow the distribution API',
      },
    );
  }
  return new URL(loc, res.url).toString();
}

function withDigestParam(location: string, digest: string): string {
  const u = new URL(location);
  u.searchParams.set('digest', digest);
  return u.toString();
}

async function readRange(path: string, start: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, start + got);
      if (bytesRead === 0) throw new Error(`blob file ${path} is shorter than expected`);
      got += bytesRead;
    }
    return buf;
  } finally {
    await fh.close();
  }
}

/**
 * Makes one blob exist in the target repository: HEAD check, cross-repository mount when a
 * source is known, else POST and a monolithic PUT, or PATCH chunks above the threshold. A broken
 * session is started again from the POST.
 */
export async function uploadBlob(
  opts: UploadBlobOptions,
): Promise<{ how: 'uploaded' | 'mounted' | 'existing' }> {
  const { client, ref, descriptor: d, what } = opts;
  const repo = ref.path;
  const scopes = [`repository:${repo}:pull,push`];
  const head = await client.request({ method: 'HEAD', path: `/v2/${repo}/blobs/${d.digest}`, scopes, what });
  await head.discard();
  if (head.status === 200) return { how: 'existing' };
  if (head.status !== 404) await head.fail();

  for (let attempt = 0; ; attempt++) {
    try {
      let initPath = `/v2/${repo}/blobs/uploads/`;
      const initScopes = [...scopes];
      if (opts.mountFrom !== undefined) {
        initPath += `?mount=${encodeURIComponent(d.digest)}&from=${encodeURIComponent(opts.mountFrom)}`;
        initScopes.push(`repository:${opts.mountFrom}:pull`);
      }
      const init = await client.request({
        method: 'POST',
        path: initPath,
        scopes: initScopes,
        headers: { 'Content-Length': '0' },
        what,
      });
      if (init.status === 201 && opts.mountFrom !== undefined) {
        await init.discard();
        return { how: 'mounted' };
      }
      await expect(init, [202], what);
      await init.discard();
      let location = nextLocation(init, what);

      if (d.size <= opts.chunkThreshold) {
        const put = await client.request({
          method: 'PUT',
          path: withDigestParam(location, d.digest),
          scopes,
          headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(d.size) },
          body: () => Readable.toWeb(opts.blobs.open(d.digest)) as unknown as RequestBody,
          what,
          retry: false,
        });
        await expect(put, [201, 204], what);
        await put.discard();
        return { how: 'uploaded' };
      }

      const file = opts.blobs.path(d.digest);
      for (let offset = 0; offset < d.size; ) {
        const len = Math.min(opts.chunkSize, d.size - offset);
        const chunk = await readRange(file, offset, len);
        const patch = await client.request({
          method: 'PATCH',
          path: location,
          scopes,
          headers: {
            'Content-Type': 'application/octet-stream',
            'Content-Range': `${offset}-${offset + len - 1}`,
            'Content-Length': String(len),
          },
          body: () => chunk,
          what,
          retry: false,
        });
        await expect(patch, [202], what);
        await patch.discard();
        location = nextLocation(patch, what);
        offset += len;
      }
      const put = await client.request({
        method: 'PUT',
        path: withDigestParam(location, d.digest),
        scopes,
        headers: { 'Content-Length': '0' },
        what,
        retry: false,
      });
      await expect(put, [201, 204], what);
      await put.discard();
      return { how: 'uploaded' };
    } catch (e) {
      if (!(e instanceof SessionBroken || isTransient(e)) || attempt >= client.retries) throw e;
      await client.backoff(attempt);
    }
  }
}
