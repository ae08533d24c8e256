// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell ${...} syntax, not JS templates
import { GantryError } from '../../errors/index.ts';
import { goQuote } from './go-quote.ts';

/** Stable codes of the errors word expansion throws (docs/errors/shell.md). */
export type ShellErrorCode =
  | 'E_SHELL_SYNTAX'
  | 'E_SHELL_BAD_PATTERN'
  | 'E_SHELL_VAR_REQUIRED'
  | 'E_SHELL_TOO_DEEP';

/**
 * A failure inside the lexer, before it is wrapped with the word being processed. Internal:
 * callers only ever see the GantryError made by `wrapShellError`.
 */
export class ShellFailure extends Error {
  readonly code: ShellErrorCode;
  readonly variable: string | undefined;

  constructor(code: ShellErrorCode, message: string, variable?: string) {
    super(message);
    this.name = 'ShellFailure';
    this.code = code;
    this.variable = variable;
  }
}

export function syntaxFailure(message: string): ShellFailure {
  return new ShellFailure('E_SHELL_SYNTAX', message);
}

const HINTS: Record<ShellErrorCode, (f: ShellFailure) => string> = {
  E_SHELL_SYNTAX: () =>
    'Close the quote or ${...} expression, or escape the character (\\$, \\", \\\') to use it literally.',
  E_SHELL_BAD_PATTERN: () =>
    'In ${VAR#pattern}, ${VAR%pattern} and ${VAR/pattern/replacement} only \\*, \\? and \\\\ may be escaped.',
  E_SHELL_TOO_DEEP: () => 'Split the expression: set an intermediate ARG or ENV and refer to it.',
  E_SHELL_VAR_REQUIRED: (f) =>
    `Define ${f.variable ?? 'the variable'} with ARG or ENV (or pass --build-arg) before it is used here.`,
};

/** BuildKit's wrapping: `failed to process "<word>": <reason>`. */
export function wrapShellError(failure: ShellFailure, word: string): GantryError {
  return new GantryError(failure.code, `failed to process ${goQuote(word)}: ${failure.message}`, {
    hint: HINTS[failure.code](failure),
  });
}
