/**
 * `json.Unmarshal` into `any`, with the differences from JSON.parse that change BuildKit's
 * results: nesting deeper than 10000 is a syntax error, a number that overflows float64 is an
 * error, and a lone surrogate from a `\uD800` escape decodes to U+FFFD.
 */

const MAX_DEPTH = 10000;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function tooDeep(text: string): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_DEPTH) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** The decoded value, or undefined where Go's decoder would return an error. */
export function goJsonParse(text: string): { value: unknown } | undefined {
  if (tooDeep(text)) return undefined;
  let overflow = false;
  let value: unknown;
  try {
    value = JSON.parse(text, (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) overflow = true;
      if (typeof v === 'string' && LONE_SURROGATE.test(v)) {
        LONE_SURROGATE.lastIndex = 0;
        return v.replace(LONE_SURROGATE, '\ufffd');
      }
      return v;
    });
  } catch {
    return undefined;
  }
  return overflow ? undefined : { value };
}
