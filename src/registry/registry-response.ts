import { GantryError } from '../errors/gantry-error.ts';
import { RegistryErrorCode, statusError } from './errors.ts';
import { redactUrl } from './redact.ts';
import { describeCause, TimeoutSignal } from './transient.ts';

/** A response whose body is read with the client's idle timeout. */
export interface RegistryResponse {
  status: number;
  headers: Headers;
  /** The final URL after redirects. */
  url: string;
  chunks(): AsyncIterable<Uint8Array>;
  /** Reads the whole body; E_REGISTRY_TOO_LARGE beyond `limit` bytes. */
  bytes(limit?: number): Promise<Buffer>;
  text(limit?: number): Promise<string>;
  /** Throws the coded error for a non-2xx status (reads a short error body). */
  fail(): Promise<never>;
  discard(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

/**
 * Wraps a fetch Response: the body is read chunk by chunk, aborting through `controller` when
 * no chunk arrives within `timeoutMs`; read failures become coded, redacted errors.
 */
export function wrapResponse(
  res: Response,
  ctx: {
    what: string;
    /** The request's absolute URL, used when the response has none. */
    url: string;
    controller: AbortController;
    timeoutMs: number;
    /** Secrets to scrub from error bodies the registry echoes. */
    secrets: () => Promise<(string | undefined)[]>;
  },
): RegistryResponse {
  const { controller, timeoutMs, what } = ctx;
  const url = res.url !== '' ? res.url : ctx.url;
  const chunks = async function* (): AsyncGenerator<Uint8Array> {
    if (res.body === null) return;
    const reader = res.body.getReader();
    try {
      for (;;) {
        const timer = setTimeout(() => controller.abort(new TimeoutSignal('timeout')), timeoutMs);
        let r: Awaited<ReturnType<typeof reader.read>>;
        try {
          r = await reader.read();
        } catch (e) {
          if (controller.signal.reason instanceof TimeoutSignal) {
            throw new GantryError(
              RegistryErrorCode.timeout,
              `${what}: the body stalled for ${timeoutMs} ms (${redactUrl(url)})`,
              { hint: 'the registry is slow or stuck; retry, or raise the timeout', cause: e },
            );
          }
          throw new GantryError(
            RegistryErrorCode.unreachable,
            `${what}: the connection broke while reading ${redactUrl(url)}: ${describeCause(e)}`,
            { hint: 'check the network; the download is retried from the start', cause: e },
          );
        } finally {
          clearTimeout(timer);
        }
        if (r.done) return;
        yield r.value;
      }
    } finally {
      reader.releaseLock();
      await res.body.cancel().catch(() => {});
    }
  };
  const bytes = async (limit = DEFAULT_BODY_LIMIT): Promise<Buffer> => {
    const parts: Uint8Array[] = [];
    let n = 0;
    for await (const c of chunks()) {
      n += c.length;
      if (n > limit) {
        throw new GantryError(
          RegistryErrorCode.tooLarge,
          `${what}: the response is larger than ${limit} bytes`,
          {
            hint: 'manifests and configs this large are refused; check the reference',
          },
        );
      }
      parts.push(c);
    }
    return Buffer.concat(parts);
  };
  return {
    status: res.status,
    headers: res.headers,
    url,
    chunks,
    bytes,
    text: async (limit) => (await bytes(limit)).toString('utf8'),
    async fail(): Promise<never> {
      let body: string | undefined;
      try {
        body = (await bytes(64 * 1024)).toString('utf8');
      } catch {
        body = undefined;
      }
      throw statusError({ status: res.status, what, url, body, secrets: await ctx.secrets() });
    },
    discard: async () => {
      await res.body?.cancel().catch(() => {});
    },
  };
}
