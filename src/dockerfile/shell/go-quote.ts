/**
 * A string quoted as Go's `strconv.Quote` (and `%q`) renders it, so that error messages read
 * exactly as BuildKit's: printable characters verbatim, `"` and `\` escaped, control and other
 * non-printable characters as `\n`, `\x1b`, `\u00a0`, `\U000e0001`.
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    out += quoteRune(ch, cp);
  }
  return `${out}"`;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const NAMED: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

function quoteRune(ch: string, cp: number): string {
  if (ch === '"' || ch === '\\') return `\\${ch}`;
  if (ch === ' ' || PRINTABLE.test(ch)) return ch;
  const named = NAMED[cp];
  if (named !== undefined) return named;
  if (cp < 0x20 || cp === 0x7f) return `\\x${hex(cp, 2)}`;
  // A lone surrogate cannot occur in Go's UTF-8 strings; Go prints invalid runes as U+FFFD.
  const rune = cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
  return rune < 0x10000 ? `\\u${hex(rune, 4)}` : `\\U${hex(rune, 8)}`;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}
