/**
 * BuildKit's per-instruction argument parsers (`line_parsers.go`): each turns the rest of a
 * logical line (after keyword and flags) into the argument list and the exec-form flag.
 */
import { goQuote } from './go-quote.ts';
import { ParseErrorCode, parseError } from './parse-error.ts';
import { parseJSON } from './parse-json.ts';
import { parseWords } from './parse-words.ts';
import { isByteSpace, splitFirstWhitespace, splitWhitespace } from './split-command.ts';

export type Escape = '\\' | '`';

export interface ParsedArgs {
  args: string[];
  json: boolean;
}

const NONE: ParsedArgs = { args: [], json: false };
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * ENV/LABEL: `(key, value, separator)` triples. The legacy form `KEY name value...` gives
 * `[name, rest, '']`; the `k=v` form gives `[k, v, '=']` per word. Values keep quotes/escapes.
 */
export function parseNameVal(rest: string, key: string, escapeToken: Escape = '\\'): string[] {
  const words = parseWords(rest, escapeToken);
  if (words.length === 0) return [];
  if (!words[0]!.includes('=')) {
    const parts = splitFirstWhitespace(rest);
    if (parts.length < 2) throw parseError(ParseErrorCode.nameValue, `${key} must have two arguments`);
    return [parts[0]!, parts[1]!, ''];
  }
  const out: string[] = [];
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq < 0) {
      throw parseError(
        ParseErrorCode.nameValue,
        `Syntax error - can't find = in ${goQuote(word)}. Must be of the form: name=value`,
      );
    }
    out.push(word.slice(0, eq), word.slice(eq + 1), '=');
  }
  return out;
}

/** FROM, EXPOSE (and the shell-form fallback of ADD/COPY/VOLUME): whitespace-split words. */
export function parseStringsWhitespaceDelimited(rest: string): ParsedArgs {
  return rest === '' ? NONE : { args: splitWhitespace(rest), json: false };
}

/** RUN, CMD, ENTRYPOINT, SHELL: a JSON array of strings, else the whole rest as one argument. */
export function parseMaybeJSON(rest: string): ParsedArgs {
  if (rest === '') return NONE;
  const list = parseJSON(rest);
  return list === undefined ? { args: [rest], json: false } : { args: list, json: true };
}

/** ADD, COPY, VOLUME: a JSON array of strings, else whitespace-split words. */
export function parseMaybeJSONToList(rest: string): ParsedArgs {
  const list = parseJSON(rest);
  return list === undefined ? parseStringsWhitespaceDelimited(rest) : { args: list, json: true };
}

/** HEALTHCHECK: the first word (CMD, NONE, ...) then the rest as for CMD. Walks bytes, like BuildKit. */
export function parseHealthConfig(rest: string): ParsedArgs {
  const b = encoder.encode(rest);
  let sep = 0;
  while (sep < b.length && !isByteSpace(b[sep]!)) sep++;
  let next = sep;
  while (next < b.length && isByteSpace(b[next]!)) next++;
  if (sep === 0) return NONE;
  const ascii = b.length === rest.length;
  const typ = ascii ? rest.slice(0, sep) : decoder.decode(b.subarray(0, sep));
  const cmd = parseMaybeJSON(ascii ? rest.slice(next) : decoder.decode(b.subarray(next)));
  return { args: [typ, ...cmd.args], json: cmd.json };
}

/**
 * Dispatch for every instruction except ONBUILD (handled by nodeFromLine). An unknown keyword
 * gets one empty argument, as BuildKit's `parseIgnore` leaves one empty node (dumped as `""`).
 */
export function parseArgsFor(keyword: string, rest: string, escapeToken: Escape): ParsedArgs {
  switch (keyword) {
    case 'add':
    case 'copy':
    case 'volume':
      return parseMaybeJSONToList(rest);
    case 'arg':
      return { args: parseWords(rest, escapeToken), json: false };
    case 'cmd':
    case 'entrypoint':
    case 'run':
    case 'shell':
      return parseMaybeJSON(rest);
    case 'env':
      return { args: parseNameVal(rest, 'ENV', escapeToken), json: false };
    case 'label':
      return { args: parseNameVal(rest, 'LABEL', escapeToken), json: false };
    case 'expose':
    case 'from':
      return parseStringsWhitespaceDelimited(rest);
    case 'healthcheck':
      return parseHealthConfig(rest);
    case 'maintainer':
    case 'stopsignal':
    case 'user':
    case 'workdir':
      return rest === '' ? NONE : { args: [rest], json: false };
    default:
      return { args: [''], json: false };
  }
}
