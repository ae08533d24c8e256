import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { utimes } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { GantryError } from '../../errors/gantry-error.ts';
import type { TempFiles } from './temp-files.ts';

/** BuildKit's isHTTPSource: http(s), and not a Git repository URL. */
export function isHttpSource(src: string): boolean {
  return src.startsWith('http://') || src.startsWith('https://');
}

/** A URL that names a Git repository (ADD of Git sources is not supported here). */
export function isGitUrl(src: string): boolean {
  try {
    const u = new URL(src);
    return u.pathname.endsWith('.git');
  } catch {
    return false;
  }
}

/** The URL without credentials: user info dropped, query values masked. */
export function redactUrl(src: string): string {
  try {
    const u = new URL(src);
    u.username = '';
    u.password = '';
    for (const key of [...new Set(u.searchParams.keys())]) u.searchParams.set(key, 'xxxxx');
    return u.toString();
  } catch {
    return '<invalid URL>';
  }
}

/** The file name ADD gives a download: the URL path's last segment, else `__unnamed__`. */
export function urlFileName(src: string): string {
  try {
    const pathname = new URL(src).pathname;
    let decoded = pathname;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      // keep it encoded
    }
    const base = posix.basename(decoded);
    return base === '' || base === '.' || base === '/' || base === '..' ? '__unnamed__' : base;
  } catch {
    return '__unnamed__';
  }
}

const ALGORITHMS: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

/** Parses `--checksum` (`sha256:<hex>`, also sha384/sha512) as go-digest does. */
export function parseChecksum(text: string): { algorithm: string; hex: string } {
  const m = /^([a-z0-9]+):([a-f0-9]+)$/.exec(text);
  const len = m === null ? undefined : ALGORITHMS[m[1] as string];
  if (m === null || len === undefined || (m[2] as string).length !== len) {
    throw new GantryError(
      'E_ADD_CHECKSUM_INVALID',
      `invalid checksum digest format: ${JSON.stringify(text)}`,
      {
        hint: 'Use --checksum=sha256:<64 hex digits> (sha384 and sha512 also work).',
      },
    );
  }
  return { algorithm: m[1] as string, hex: m[2] as string };
}

/** Replaces the raw URL (and its user info) in a lower-level error message. */
function scrub(message: string, url: string, shown: string): string {
  let out = message.split(url).join(shown);
  try {
    const u = new URL(url);
    for (const part of [u.password, u.username]) if (part !== '') out = out.split(part).join('xxxxx');
  } catch {
    // not a URL: nothing more to hide
  }
  return out;
}

/** The global fetch, with user info in the URL sent as basic auth (as Go's HTTP client does). */
export async function defaultFetch(url: string): Promise<Response> {
  const u = new URL(url);
  if (u.username === '' && u.password === '') return fetch(u);
  const auth = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString(
    'base64',
  );
  u.username = '';
  u.password = '';
  return fetch(u, { headers: { authorization: `Basic ${auth}` } });
}

export interface Downloaded {
  /** The temp file holding the body (mode 0600, mtime from Last-Modified or `now`). */
  path: string;
  /** The name the file gets in the destination. */
  name: string;
  /** `<algorithm>:<hex>` of the body. */
  digest: string;
}

export interface DownloadOptions {
  fetchUrl: (url: string) => Promise<Response>;
  temp: TempFiles;
  checksum?: string;
  now: number;
}

/** Downloads `url` for ADD, hashing while streaming; a `--checksum` mismatch is an error. */
export async function downloadUrl(url: string, opts: DownloadOptions): Promise<Downloaded> {
  const shown = redactUrl(url);
  const expected = opts.checksum ? parseChecksum(opts.checksum) : undefined;
  let res: Response;
  try {
    res = await opts.fetchUrl(url);
  } catch (e) {
    throw new GantryError(
      'E_ADD_URL_FETCH',
      `failed to download ${shown}: ${scrub((e as Error).message, url, shown)}`,
      {
        hint: 'Check the URL and that the build host can reach it.',
        cause: e,
      },
    );
  }
  if (!res.ok || res.body === null) {
    throw new GantryError(
      'E_ADD_URL_STATUS',
      `failed to download ${shown}: HTTP ${res.status} ${res.statusText}`.trim(),
      {
        hint: 'The server did not return the file; check the URL (ADD does not send credentials).',
      },
    );
  }
  const name = urlFileName(url);
  const path = await opts.temp.next(name);
  const hash = createHash(expected?.algorithm ?? 'sha256');
  const body = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>);
  body.on('data', (chunk: Buffer) => hash.update(chunk));
  try {
    await pipeline(body, createWriteStream(path, { mode: 0o600 }));
  } catch (e) {
    throw new GantryError(
      'E_ADD_URL_FETCH',
      `failed to download ${shown}: ${scrub((e as Error).message, url, shown)}`,
      {
        hint: 'The transfer was interrupted; retry the build.',
        cause: e,
      },
    );
  }
  const digest = `${expected?.algorithm ?? 'sha256'}:${hash.digest('hex')}`;
  if (expected !== undefined && digest !== `${expected.algorithm}:${expected.hex}`) {
    throw new GantryError(
      'E_ADD_CHECKSUM_MISMATCH',
      `checksum mismatch for ${shown}: expected ${expected.algorithm}:${expected.hex}, got ${digest}`,
      {
        hint: 'The file at the URL changed, or --checksum is wrong; verify the download and update --checksum.',
      },
    );
  }
  const lastModified = res.headers.get('last-modified');
  const parsed = lastModified === null ? Number.NaN : Date.parse(lastModified);
  const mtime = Number.isNaN(parsed) ? opts.now : Math.floor(parsed / 1000);
  await utimes(path, mtime, mtime);
  return { path, name, digest };
}
