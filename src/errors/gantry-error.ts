/**
 * A failure the user can act on: a stable code (listed in docs/errors.md), a message that
 * names the thing at fault, and a hint. Bugs stay plain `Error`s.
 */
export interface GantryErrorOptions {
  hint?: string;
  cause?: unknown;
}

export class GantryError extends Error {
  readonly code: string;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: GantryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GantryError';
    this.code = code;
    this.hint = options.hint;
  }
}

export function isGantryError(e: unknown, code?: string): e is GantryError {
  return e instanceof GantryError && (code === undefined || e.code === code);
}
