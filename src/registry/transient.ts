import { GantryError } from '../errors/gantry-error.ts';
import { RegistryErrorCode } from './errors.ts';

/** The reason a client-side abort fired because the registry went quiet. */
export class TimeoutSignal extends Error {}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** Whether an error is worth another attempt: connection trouble, timeouts, broken bodies. */
export function isTransient(e: unknown): boolean {
  if (e instanceof GantryError) {
    return e.code === RegistryErrorCode.unreachable || e.code === RegistryErrorCode.timeout;
  }
  if (!(e instanceof Error)) return false;
  // undici's fetch reports connection trouble as TypeError('fetch failed') with the cause.
  if (e instanceof TypeError && e.message === 'fetch failed') return true;
  const code =
    (e as NodeJS.ErrnoException).code ??
    ((e as { cause?: NodeJS.ErrnoException }).cause?.code as string | undefined);
  return code !== undefined && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR_'));
}

/** Whether a failed request was a TLS handshake that refused the server's certificate. */
export function isCertificateError(e: unknown): boolean {
  const code =
    (e as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? (e as { code?: unknown })?.code;
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code);
}

/** `ECONNREFUSED connect ECONNREFUSED 127.0.0.1:5000` from fetch's wrapped cause. */
export function describeCause(e: unknown): string {
  if (e instanceof Error) {
    const c = (e as Error & { cause?: unknown }).cause;
    if (c instanceof Error) {
      const code = (c as NodeJS.ErrnoException).code;
      return code !== undefined ? `${code} ${c.message}` : c.message;
    }
    return e.message;
  }
  return String(e);
}
