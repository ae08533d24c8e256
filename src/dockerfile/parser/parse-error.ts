import { DockerfileError, type Range } from '../../errors/index.ts';

/** Stable codes of the parser's errors (documented in docs/errors/parser.md). */
export const ParseErrorCode = {
  noInstructions: 'E_PARSE_NO_INSTRUCTIONS',
  lineTooLong: 'E_PARSE_LINE_TOO_LONG',
  jsonNotStrings: 'E_PARSE_JSON_NOT_STRINGS',
  nameValue: 'E_PARSE_NAME_VALUE',
  heredocUnterminated: 'E_PARSE_HEREDOC_UNTERMINATED',
  heredocWord: 'E_PARSE_HEREDOC_WORD',
  directiveDuplicate: 'E_PARSE_DIRECTIVE_DUPLICATE',
  escapeInvalid: 'E_PARSE_ESCAPE_INVALID',
} as const;

export type ParseErrorCode = (typeof ParseErrorCode)[keyof typeof ParseErrorCode];

const HINTS: Record<ParseErrorCode, string> = {
  E_PARSE_NO_INSTRUCTIONS: 'a Dockerfile needs at least one instruction, e.g. `FROM alpine`',
  E_PARSE_LINE_TOO_LONG: 'split the line with line continuations (end a line with the escape character)',
  E_PARSE_JSON_NOT_STRINGS: 'write every element of the exec-form array as a "double-quoted" string',
  E_PARSE_NAME_VALUE: 'use the form NAME=value (quote values that contain spaces)',
  E_PARSE_HEREDOC_UNTERMINATED: 'end the here-document with a line holding only its delimiter word',
  E_PARSE_HEREDOC_WORD: 'close the quotes in the here-document delimiter word',
  E_PARSE_DIRECTIVE_DUPLICATE: 'keep one line per parser directive at the top of the Dockerfile',
  E_PARSE_ESCAPE_INVALID: 'use `# escape=\\` (the default) or `# escape=`` (backtick)',
};

/** One range per line `start..end` (1-based, inclusive), as BuildKit's location lists. */
export function lineRanges(start: number, end: number = start): Range[] {
  const ranges: Range[] = [];
  const last = Math.max(start, end);
  for (let line = start; line <= last; line++) {
    ranges.push({ start: { line, character: 0 }, end: { line, character: 0 } });
  }
  return ranges;
}

/** A parser error; `ranges` may be empty when the caller attaches the location later. */
export function parseError(code: ParseErrorCode, message: string, ranges: Range[] = []): DockerfileError {
  return new DockerfileError(code, message, ranges, { hint: HINTS[code] });
}

/** The same error located at `start..end` (errors from line helpers carry no ranges yet). */
export function withLines(err: unknown, start: number, end: number = start): unknown {
  if (!(err instanceof DockerfileError) || err.ranges.length > 0) return err;
  return new DockerfileError(err.code, err.message, lineRanges(start, end), {
    hint: err.hint,
    cause: err.cause,
  });
}
