/**
 * Registry URLs and headers carry secrets: user:password in the URL, bearer tokens, signed
 * storage URLs (`X-Amz-Signature=...`). Everything that reaches a message or a log goes through here.
 */

export const REDACTED = 'REDACTED';

const SECRET_PARAM_RE = /token|sig|signature|credential|secret|password|passwd|auth|key|session|code/i;
const SECRET_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-registry-auth',
  'x-amz-security-token',
]);

/** Removes user info and the values of secret-looking query parameters. Unparseable input is hidden whole. */
export function redactUrl(url: string | URL): string {
  let u: URL;
  try {
    u = new URL(String(url));
  } catch {
    return '<unparseable URL>';
  }
  if (u.username !== '' || u.password !== '') {
    u.username = '';
    u.password = '';
  }
  if (u.search.length > 1) {
    const parts = u.search
      .slice(1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const rawName = eq === -1 ? pair : pair.slice(0, eq);
        let name = rawName;
        try {
          name = decodeURIComponent(rawName.replace(/\+/g, ' '));
        } catch {
          // keep the raw name
        }
        return SECRET_PARAM_RE.test(name) && eq !== -1 ? `${rawName}=${REDACTED}` : pair;
      });
    u.search = `?${parts.join('&')}`;
  }
  return u.toString();
}

/** A plain-object copy of `headers` with credentials replaced (`Bearer REDACTED`). */
export function redactHeaders(
  headers: Headers | Record<string, string> | Iterable<[string, string]>,
): Record<string, string> {
  const entries: Iterable<[string, string]> =
    headers instanceof Headers
      ? headers.entries()
      : Symbol.iterator in headers
        ? (headers as Iterable<[string, string]>)
        : Object.entries(headers);
  const out: Record<string, string> = {};
  for (const [k, v] of entries) {
    const lower = k.toLowerCase();
    if (SECRET_HEADERS.has(lower)) {
      const scheme = /^(Basic|Bearer)\s/i.exec(v)?.[1];
      out[k] = scheme !== undefined ? `${scheme} ${REDACTED}` : REDACTED;
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Replaces every occurrence of the given secrets in `text`; for messages built from server output. */
export function scrubSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s !== undefined && s.length >= 4) out = out.split(s).join(REDACTED);
  }
  return out;
}
