import { GantryError } from '../errors/gantry-error.ts';
import type { Challenge } from './challenge.ts';
import type { Credentials } from './docker-config.ts';
import { describeRegistryErrorBody, RegistryErrorCode } from './errors.ts';
import { redactUrl } from './redact.ts';

export interface CachedToken {
  token: string;
  /** Epoch ms after which the token is not used again. */
  expiresAt: number;
}

/** Tokens by `realm|service|sorted scopes`. */
export type TokenCache = Map<string, CachedToken>;

export function tokenKey(challenge: Challenge, scopes: readonly string[]): string {
  return `${challenge.params.realm}|${challenge.params.service}|${[...scopes].sort().join(' ')}`;
}

const DEFAULT_EXPIRES_S = 60;
const MARGIN_MS = 5_000;

/**
 * A bearer token for `scopes` from the challenge's realm (the distribution token protocol):
 * `GET realm?service=..&scope=..` with Basic credentials when there are any, or the OAuth
 * refresh-token `POST` for identity tokens. Cached until shortly before it expires.
 */
export async function fetchToken(opts: {
  cache: TokenCache;
  challenge: Challenge;
  scopes: readonly string[];
  credentials: Credentials | undefined;
  fetchImpl: typeof fetch;
  /** Current time, epoch ms. */
  now: number;
  host: string;
  timeoutMs: number;
}): Promise<string> {
  const { challenge, credentials: creds } = opts;
  const key = tokenKey(challenge, opts.scopes);
  const hit = opts.cache.get(key);
  if (hit !== undefined && hit.expiresAt > opts.now) return hit.token;

  const realm = challenge.params.realm;
  let realmUrl: URL;
  try {
    realmUrl = new URL(realm ?? '');
  } catch {
    throw new GantryError(
      RegistryErrorCode.auth,
      `${opts.host} sent a bearer challenge without a valid realm`,
      {
        hint: 'the registry is misconfigured (auth.token.realm)',
      },
    );
  }
  if (realmUrl.protocol !== 'https:' && realmUrl.protocol !== 'http:') {
    throw new GantryError(RegistryErrorCode.auth, `${opts.host} sent a token realm that is not http(s)`, {
      hint: 'the registry is misconfigured (auth.token.realm)',
    });
  }
  const service = challenge.params.service;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let res: Response;
  try {
    if (creds?.identityToken !== undefined) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: creds.identityToken,
        client_id: 'gantry',
      });
      if (service !== undefined) form.set('service', service);
      if (opts.scopes.length > 0) form.set('scope', opts.scopes.join(' '));
      res = await opts.fetchImpl(realmUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        signal,
      });
    } else {
      const u = new URL(realmUrl);
      if (service !== undefined) u.searchParams.set('service', service);
      for (const s of opts.scopes) u.searchParams.append('scope', s);
      const headers: Record<string, string> = {};
      if (creds?.username !== undefined) {
        headers.Authorization = `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}`;
      }
      res = await opts.fetchImpl(u, { headers, signal });
    }
  } catch (e) {
    throw new GantryError(
      RegistryErrorCode.unreachable,
      `cannot reach the token server ${redactUrl(realmUrl)} for ${opts.host}: ${(e as Error).message}`,
      { hint: 'check the network; the registry sends clients to this URL to log in', cause: e },
    );
  }
  const body = await res.text();
  if (res.status === 401 || res.status === 403) {
    throw new GantryError(
      RegistryErrorCode.auth,
      `the token server ${redactUrl(realmUrl)} refused ${creds !== undefined ? 'the credentials' : 'anonymous access'} for ${opts.host} (HTTP ${res.status})`,
      {
        hint:
          creds !== undefined
            ? `check the user name and password; run "gantry login ${opts.host}" again`
            : `the repository may be private: run "gantry login ${opts.host}"`,
      },
    );
  }
  if (!res.ok) {
    const detail = describeRegistryErrorBody(body, [creds?.password, creds?.identityToken]);
    throw new GantryError(
      RegistryErrorCode.auth,
      `the token server ${redactUrl(realmUrl)} answered HTTP ${res.status} for ${opts.host}${detail !== '' ? ` (${detail})` : ''}`,
      { hint: 'retry later; the token server may be down' },
    );
  }
  let parsed: { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    throw new GantryError(
      RegistryErrorCode.auth,
      `the token server ${redactUrl(realmUrl)} did not answer JSON`,
      {
        hint: 'the registry is misconfigured (auth.token.realm)',
      },
    );
  }
  const token =
    typeof parsed.token === 'string' && parsed.token !== ''
      ? parsed.token
      : typeof parsed.access_token === 'string'
        ? parsed.access_token
        : '';
  if (token === '') {
    throw new GantryError(
      RegistryErrorCode.auth,
      `the token server ${redactUrl(realmUrl)} answered without a token`,
      {
        hint: 'the registry is misconfigured (auth.token.realm)',
      },
    );
  }
  const expiresS =
    typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : DEFAULT_EXPIRES_S;
  const issued = typeof parsed.issued_at === 'string' ? Date.parse(parsed.issued_at) : Number.NaN;
  const start = Number.isFinite(issued) && Math.abs(issued - opts.now) < 10 * 60_000 ? issued : opts.now;
  opts.cache.set(key, { token, expiresAt: start + expiresS * 1000 - MARGIN_MS });
  return token;
}
