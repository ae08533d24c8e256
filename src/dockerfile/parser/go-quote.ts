/**
 * Go's `strconv.Quote`, used for the AST dump: `"` and `\` backslashed, printable runes
 * (letters, marks, numbers, punctuation, symbols, ASCII space) verbatim, `\a\b\f\n\r\t\v`,
 * other control characters as `\xNN`, other runes as `\uNNNN`/`\UNNNNNNNN`. A lone surrogate
 * (which UTF-8 cannot hold) is shown as the three bytes of its WTF-8 encoding, as Go shows
 * invalid UTF-8.
 */

const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;
const SHORT: Record<number, string> = {
  7: '\\a',
  8: '\\b',
  9: '\\t',
  10: '\\n',
  11: '\\v',
  12: '\\f',
  13: '\\r',
};

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

function quoteAscii(c: number): string {
  if (c === 0x22) return '\\"';
  if (c === 0x5c) return '\\\\';
  if (c >= 0x20 && c < 0x7f) return String.fromCharCode(c);
  return SHORT[c] ?? `\\x${hex(c, 2)}`;
}

function quoteLoneSurrogate(c: number): string {
  const bytes = [0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f)];
  return bytes.map((b) => `\\x${hex(b, 2)}`).join('');
}

/** `strconv.Quote(s)`. */
export function goQuote(s: string): string {
  if (PLAIN.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      out += quoteAscii(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = s.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        const pair = s.slice(i, i + 2);
        out += PRINTABLE.test(pair) ? pair : `\\U${hex(pair.codePointAt(0)!, 8)}`;
        i++;
      } else out += quoteLoneSurrogate(c);
      continue;
    }
    const ch = s[i]!;
    out += PRINTABLE.test(ch) ? ch : `\\u${hex(c, 4)}`;
  }
  return `${out}"`;
}

/** `fmt.Sprintf("%q", []string{...})`: `["a" "b"]`. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(' ')}]`;
}
