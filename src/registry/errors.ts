import { GantryError } from '../errors/gantry-error.ts';
import { redactUrl, scrubSecrets } from './redact.ts';

/** Error codes of this module; see docs/errors/registry.md. */
export const RegistryErrorCode = {
  auth: 'E_REGISTRY_AUTH',
  notFound: 'E_REGISTRY_NOT_FOUND',
  digestMismatch: 'E_REGISTRY_DIGEST_MISMATCH',
  sizeMismatch: 'E_REGISTRY_SIZE_MISMATCH',
  unreachable: 'E_REGISTRY_UNREACHABLE',
  timeout: 'E_REGISTRY_TIMEOUT',
  mediaType: 'E_REGISTRY_MEDIA_TYPE',
  platform: 'E_REGISTRY_PLATFORM',
  protocol: 'E_REGISTRY_PROTOCOL',
  insecure: 'E_REGISTRY_INSECURE',
  manifestInvalid: 'E_REGISTRY_MANIFEST_INVALID',
  tooLarge: 'E_REGISTRY_TOO_LARGE',
  unavailable: 'E_REGISTRY_UNAVAILABLE',
} as const;

/** The `errors[]` of a registry's JSON error body, as "CODE: message; ..." (secrets scrubbed, shortened). */
export function describeRegistryErrorBody(
  body: string,
  secrets: readonly (string | undefined)[] = [],
): string {
  let text = '';
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    if (Array.isArray(parsed.errors)) {
      text = parsed.errors
        .map((e) => [e.code, e.message].filter((x) => typeof x === 'string' && x !== '').join(': '))
        .filter((s) => s !== '')
        .join('; ');
    }
  } catch {
    text = body.replace(/\s+/g, ' ').trim();
  }
  text = scrubSecrets(text, secrets);
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** Maps an unexpected HTTP status to a coded error naming what was asked for and where. */
export function statusError(opts: {
  status: number;
  what: string;
  url: string;
  body?: string;
  secrets?: readonly (string | undefined)[];
}): GantryError {
  const detail = opts.body !== undefined ? describeRegistryErrorBody(opts.body, opts.secrets) : '';
  const where = redactUrl(opts.url);
  const tail = detail !== '' ? ` (${detail})` : '';
  if (opts.status === 404) {
    return new GantryError(RegistryErrorCode.notFound, `${opts.what} not found at ${where}${tail}`, {
      hint: 'check the repository name and tag; private repositories also answer "not found" without a login',
    });
  }
  if (opts.status === 401 || opts.status === 403) {
    return new GantryError(
      RegistryErrorCode.auth,
      `${opts.what}: access denied by ${where} (HTTP ${opts.status})${tail}`,
      { hint: 'log in with "gantry login <registry>" and check you may access this repository' },
    );
  }
  if (opts.status >= 500 || opts.status === 429) {
    return new GantryError(
      RegistryErrorCode.unavailable,
      `${opts.what}: ${where} kept answering HTTP ${opts.status}${tail}`,
      { hint: 'the registry is overloaded or failing; retry later or check its logs' },
    );
  }
  return new GantryError(
    RegistryErrorCode.protocol,
    `${opts.what}: unexpected HTTP ${opts.status} from ${where}${tail}`,
    { hint: 'the registry answered something gantry did not expect; retry, or check the registry logs' },
  );
}
