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

function fixString(v: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(v) ? v.replace(LONE_SURROGATE, '\ufffd') : v;
}

/** Walks the decoded value without recursion: false if a number overflowed; repairs lone surrogates. */
function normalise(root: { value: unknown }): boolean {
  const stack: Record<string, unknown>[] = [root];
  while (stack.length > 0) {
    const holder = stack.pop()!;
    for (const key of Object.keys(holder)) {
      const v = holder[key];
      if (typeof v === 'number' && !Number.isFinite(v)) return false;
      if (typeof v === 'string') holder[key] = fixString(v);
      else if (typeof v === 'object' && v !== null) stack.push(v as Record<string, unknown>);
    }
  }
  return true;
}

/** The decoded value, or undefined where Go's decoder would return an error. */
export function goJsonParse(text: string): { value: unknown } | undefined {
  if (tooDeep(text)) return undefined;
  const root: { value: unknown } = { value: undefined };
  try {
    // No reviver: V8 parses iteratively, but revives recursively (10000 levels would overflow).
    root.value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return normalise(root) ? root : undefined;
}
