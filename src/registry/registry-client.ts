import { GantryError } from '../errors/gantry-error.ts';
import { type Challenge, parseChallenges } from './challenge.ts';
import type { Credentials } from './docker-config.ts';
import { apiHost, isPlainHttpAllowed } from './endpoint.ts';
import { RegistryErrorCode } from './errors.ts';
import { redactUrl } from './redact.ts';
import { type RegistryResponse, wrapResponse } from './registry-response.ts';
import { fetchToken, type TokenCache, tokenKey } from './token.ts';
import { describeCause, isCertificateError, isTransient, TimeoutSignal } from './transient.ts';

export type FetchImpl = typeof fetch;
export type RequestBody = NonNullable<RequestInit['body']>;
export type { RegistryResponse } from './registry-response.ts';
export { isTransient } from './transient.ts';

export interface RegistryClientOptions {
  /** The reference domain (`docker.io`, `localhost:5000`). */
  host: string;
  /** Looks up credentials for a host; default: anonymous. */
  credentials?: (host: string) => Promise<Credentials | undefined>;
  /** Extra hosts where plain HTTP is allowed (loopback always is). */
  insecureRegistries?: readonly string[];
  fetchImpl?: FetchImpl;
  /** Milliseconds to wait for response headers, and between body chunks. Default 60 000. */
  timeoutMs?: number;
  /** Retries after a connection error, timeout, 429 or 5xx. Default 4. */
  retries?: number;
  /** First backoff delay in ms, doubled per retry. Default 250. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  userAgent?: string;
}

export interface RequestOptions {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** `/v2/...` on this registry, or an absolute URL (upload Location). */
  path: string;
  /** Token scopes this request needs, e.g. `repository:a/b:pull`. */
  scopes: readonly string[];
  headers?: Record<string, string>;
  /** Makes the request body; called again for each retry. */
  body?: () => RequestBody | undefined;
  /** What is asked for, for messages: `manifest localhost:5000/a:1`. */
  what: string;
  /** Whether a failed attempt may be repeated (default: true). */
  retry?: boolean;
}

const MAX_REDIRECTS = 5;

/**
 * One registry host: picks https (or http where allowed), answers auth challenges, caches bearer
 * tokens per scope, retries transient failures, follows redirects without leaking credentials.
 */
export class RegistryClient {
  readonly host: string;
  private readonly opts: RegistryClientOptions;
  private readonly fetchImpl: FetchImpl;
  private origin: string | undefined;
  private challenges: Challenge[] | undefined;
  private creds: Promise<Credentials | undefined> | undefined;
  private readonly tokens: TokenCache = new Map();
  private readonly pendingTokens = new Map<string, Promise<string>>();
  readonly timeoutMs: number;
  readonly retries: number;

  constructor(opts: RegistryClientOptions) {
    this.host = opts.host;
    this.opts = opts;
    this.fetchImpl = opts.fetchImpl ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.retries = opts.retries ?? 4;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  async backoff(attempt: number): Promise<void> {
    const ms = (this.opts.backoffMs ?? 250) * 2 ** attempt;
    await (this.opts.sleep ?? ((t: number) => new Promise<void>((r) => setTimeout(r, t))))(ms);
  }

  private credentials(): Promise<Credentials | undefined> {
    this.creds ??= this.opts.credentials ? this.opts.credentials(this.host) : Promise.resolve(undefined);
    return this.creds;
  }

  /** Secrets to scrub from anything the registry echoes back. */
  async secrets(): Promise<(string | undefined)[]> {
    const c = await this.credentials();
    return [c?.password, c?.identityToken, ...[...this.tokens.values()].map((t) => t.token)];
  }

  /** Finds the scheme (https, else http where allowed) and the auth challenge with `GET /v2/`. */
  async ping(): Promise<void> {
    if (this.origin !== undefined) return;
    const host = apiHost(this.host);
    const plainOk = isPlainHttpAllowed(this.host, this.opts.insecureRegistries);
    const candidates = plainOk ? [`https://${host}`, `http://${host}`] : [`https://${host}`];
    let lastError: unknown;
    // An https attempt that reached a TLS server with a certificate this machine does not trust.
    let certError: unknown;
    for (const origin of candidates) {
      for (let attempt = 0; attempt <= this.retries; attempt++) {
        try {
          const res = await this.send('GET', `${origin}/v2/`, {}, undefined);
          await res.body?.cancel().catch(() => {});
          if (res.status >= 500 && attempt < this.retries) {
            await this.backoff(attempt);
            continue;
          }
          // After a refused certificate, a plain-HTTP answer that is not the registry API is the
          // same TLS server refusing plain HTTP: the certificate is the problem to report.
          if (certError !== undefined && res.status !== 200 && res.status !== 401) break;
          this.origin = origin;
          this.challenges = res.status === 401 ? parseChallenges(res.headers.get('www-authenticate')) : [];
          return;
        } catch (e) {
          lastError = e;
          if (origin.startsWith('https:') && isCertificateError(e)) certError = e;
          // A TLS handshake against a plain-HTTP server fails at once: try the next scheme.
          if (origin.startsWith('https:') && plainOk) break;
          if (!isTransient(e) || attempt === this.retries) break;
          await this.backoff(attempt);
        }
      }
    }
    if (certError !== undefined) {
      throw new GantryError(
        RegistryErrorCode.unreachable,
        `registry ${this.host}: cannot reach ${redactUrl(`${candidates[0]}/v2/`)}: its TLS certificate is not trusted (${describeCause(certError)})`,
        {
          hint: "add the registry's CA to the system's CA store (update-ca-certificates) or name its PEM file in NODE_EXTRA_CA_CERTS",
          cause: certError,
        },
      );
    }
    throw this.unreachable(
      `${candidates[candidates.length - 1]}/v2/`,
      `registry ${this.host}`,
      lastError,
      !plainOk,
    );
  }

  private unreachable(url: string, what: string, cause: unknown, tlsOnly = false): GantryError {
    if (cause instanceof GantryError) return cause;
    const reason = describeCause(cause);
    return new GantryError(
      RegistryErrorCode.unreachable,
      `${what}: cannot reach ${redactUrl(url)}: ${reason}`,
      {
        hint: tlsOnly
          ? 'check the network and the registry address; plain HTTP is used only for loopback and insecureRegistries'
          : 'check the network and that the registry is running',
        cause,
      },
    );
  }

  private async authorization(
    scopes: readonly string[],
    challenges: Challenge[],
  ): Promise<string | undefined> {
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    const creds = await this.credentials();
    if (bearer !== undefined) {
      // Concurrent requests for one scope share one token request.
      const key = tokenKey(bearer, scopes);
      let pending = this.pendingTokens.get(key);
      if (pending === undefined) {
        pending = fetchToken({
          cache: this.tokens,
          challenge: bearer,
          scopes,
          credentials: creds,
          fetchImpl: this.fetchImpl,
          now: this.now(),
          host: this.host,
          timeoutMs: this.timeoutMs,
        });
        this.pendingTokens.set(key, pending);
        pending.then(
          () => this.pendingTokens.delete(key),
          () => this.pendingTokens.delete(key),
        );
      }
      const token = await pending;
      return `Bearer ${token}`;
    }
    if (basic !== undefined && creds?.username !== undefined) {
      return `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
    }
    return undefined;
  }

  /** One HTTP exchange with manual redirects; Authorization never crosses to another origin. */
  private async send(
    method: string,
    url: string,
    headers: Record<string, string>,
    body: RequestBody | undefined,
    controller: AbortController = new AbortController(),
  ): Promise<Response> {
    let current = new URL(url);
    const startOrigin = current.origin;
    let h: Record<string, string> = { 'User-Agent': this.opts.userAgent ?? 'gantry', ...headers };
    let m = method;
    let b = body;
    for (let hop = 0; ; hop++) {
      // The timeout counts from the last sign of progress: request sent, or a body chunk read.
      let timer = setTimeout(() => controller.abort(new TimeoutSignal('timeout')), this.timeoutMs);
      const rearm = (): void => {
        clearTimeout(timer);
        timer = setTimeout(() => controller.abort(new TimeoutSignal('timeout')), this.timeoutMs);
      };
      if (b instanceof ReadableStream) {
        b = b.pipeThrough(
          new TransformStream<Uint8Array, Uint8Array>({
            transform(chunk, ctl) {
              rearm();
              ctl.enqueue(chunk);
            },
          }),
        );
      }
      let res: Response;
      try {
        const init: RequestInit & { duplex?: 'half' } = {
          method: m,
          headers: h,
          redirect: 'manual',
          signal: controller.signal,
        };
        if (b !== undefined) {
          init.body = b;
          init.duplex = 'half';
        }
        res = await this.fetchImpl(current, init);
      } catch (e) {
        if (controller.signal.reason instanceof TimeoutSignal) {
          throw new GantryError(
            RegistryErrorCode.timeout,
            `${m} ${redactUrl(current)}: no answer within ${this.timeoutMs} ms`,
            { hint: 'the registry is slow or stuck; retry, or raise the timeout', cause: e },
          );
        }
        throw e;
      } finally {
        clearTimeout(timer);
      }
      const location = res.headers.get('location');
      if (
        ![301, 302, 303, 307, 308].includes(res.status) ||
        location === null ||
        m === 'PATCH' ||
        m === 'POST'
      ) {
        return res;
      }
      await res.body?.cancel().catch(() => {});
      if (hop >= MAX_REDIRECTS) {
        throw new GantryError(RegistryErrorCode.protocol, `too many redirects from ${redactUrl(url)}`, {
          hint: 'the registry or its storage redirects in a loop',
        });
      }
      const next = new URL(location, current);
      if (
        next.protocol === 'http:' &&
        current.protocol === 'https:' &&
        !isPlainHttpAllowed(next.host, this.opts.insecureRegistries)
      ) {
        throw new GantryError(
          RegistryErrorCode.insecure,
          `${redactUrl(current)} redirected to plain HTTP ${redactUrl(next)}`,
          {
            hint: 'refusing to downgrade to plain HTTP; add the host to insecureRegistries if it is trusted',
          },
        );
      }
      if (next.origin !== startOrigin) {
        h = Object.fromEntries(Object.entries(h).filter(([k]) => k.toLowerCase() !== 'authorization'));
      }
      if (res.status === 303) {
        m = m === 'HEAD' ? 'HEAD' : 'GET';
        b = undefined;
      }
      current = next;
    }
  }

  /**
   * Sends a request: authorizes for `scopes`, answers a 401 challenge once, retries transient
   * failures (connection errors, timeouts, 429, 5xx) with exponential backoff.
   */
  async request(req: RequestOptions): Promise<RegistryResponse> {
    await this.ping();
    const origin = this.origin!;
    const url = req.path.startsWith('/') ? `${origin}${req.path}` : req.path;
    const sameOrigin = new URL(url).origin === origin;
    const maxAttempts = req.retry === false ? 0 : this.retries;
    let challenged = false;
    let lastError: unknown;
    for (let attempt = 0; attempt <= maxAttempts; ) {
      const headers: Record<string, string> = { ...req.headers };
      if (sameOrigin) {
        const auth = await this.authorization(req.scopes, this.challenges ?? []);
        if (auth !== undefined) headers.Authorization = auth;
      }
      const controller = new AbortController();
      let res: Response;
      try {
        res = await this.send(req.method, url, headers, req.body?.(), controller);
      } catch (e) {
        lastError = e;
        if (!isTransient(e) || attempt >= maxAttempts) break;
        await this.backoff(attempt++);
        continue;
      }
      if (res.status === 401 && !challenged && sameOrigin) {
        const fresh = parseChallenges(res.headers.get('www-authenticate'));
        await res.body?.cancel().catch(() => {});
        if (fresh.length > 0) {
          challenged = true;
          this.challenges = fresh;
          const bearer = fresh.find((c) => c.scheme === 'bearer');
          if (bearer !== undefined) this.tokens.delete(tokenKey(bearer, req.scopes));
          if ((await this.credentials()) === undefined && bearer === undefined) {
            throw new GantryError(
              RegistryErrorCode.auth,
              `${req.what}: ${this.host} requires a login (${redactUrl(url)})`,
              {
                hint: `run "gantry login ${this.host}"`,
              },
            );
          }
          continue;
        }
      }
      if ((res.status >= 500 || res.status === 429) && attempt < maxAttempts) {
        await res.body?.cancel().catch(() => {});
        await this.backoff(attempt++);
        continue;
      }
      return wrapResponse(res, {
        what: req.what,
        url,
        controller,
        timeoutMs: this.timeoutMs,
        secrets: () => this.secrets(),
      });
    }
    throw this.unreachable(url, req.what, lastError);
  }

  /** The absolute URL for `/v2/...` (after ping), for messages. */
  url(path: string): string {
    return `${this.origin ?? `https://${apiHost(this.host)}`}${path}`;
  }
}
