import { goTrimLeftSpace } from '../go-strings.ts';
import { goJsonParse } from './go-json.ts';
import { ParseErrorCode, parseError } from './parse-error.ts';

export const NOT_STRING_ARRAY = 'when using JSON array syntax, arrays must be comprised of strings only';

/**
 * BuildKit's `parseJSON` for exec form: the decoded strings when `rest` (after leading
 * whitespace) is a JSON array of strings; undefined when it is not a JSON array at all (the
 * caller falls back to shell form). A valid JSON array with a non-string element throws
 * E_PARSE_JSON_NOT_STRINGS.
 */
export function parseJSON(rest: string): string[] | undefined {
  rest = goTrimLeftSpace(rest);
  if (!rest.startsWith('[')) return undefined;
  const parsed = goJsonParse(rest);
  if (parsed === undefined || !Array.isArray(parsed.value)) return undefined;
  const list: unknown[] = parsed.value;
  for (const item of list) {
    if (typeof item !== 'string') throw parseError(ParseErrorCode.jsonNotStrings, NOT_STRING_ARRAY);
  }
  return list as string[];
}
