/**
 * Go string helpers the parser needs to match BuildKit byte for byte: `unicode.IsSpace`,
 * `strings.TrimSpace`/`TrimLeftFunc`, `strings.ToLower` (simple case mapping) and UTF-8 sizes.
 */

/** Go's `unicode.IsSpace` for one UTF-16 code unit (every Unicode space is in the BMP). */
export function isGoSpace(c: number): boolean {
  if (c <= 0xff) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** Index of the first character that is not a Go space (or `s.length`). */
export function firstNonSpace(s: string): number {
  let i = 0;
  while (i < s.length && isGoSpace(s.charCodeAt(i))) i++;
  return i;
}

/** `bytes.TrimLeftFunc(s, unicode.IsSpace)`. */
export function goTrimLeftSpace(s: string): string {
  const i = firstNonSpace(s);
  return i === 0 ? s : s.slice(i);
}

/** `strings.TrimSpace`. */
export function goTrimSpace(s: string): string {
  const start = firstNonSpace(s);
  let end = s.length;
  while (end > start && isGoSpace(s.charCodeAt(end - 1))) end--;
  return start === 0 && end === s.length ? s : s.slice(start, end);
}

const ASCII = /^[\x00-\x7f]*$/;

/** `strings.ToLower`: per code point simple lower-case mapping (no context-sensitive rules). */
export function goToLower(s: string): string {
  if (ASCII.test(s)) return s.toLowerCase();
  let out = '';
  for (const ch of s) {
    if (ch === '\u0130') {
      out += 'i';
      continue;
    }
    const lower = ch.toLowerCase();
    out += [...lower].length === 1 ? lower : ch;
  }
  return out;
}

/** `bytes.TrimRight(s, "\r\n")`. */
export function trimNewline(s: string): string {
  let end = s.length;
  while (end > 0) {
    const c = s.charCodeAt(end - 1);
    if (c !== 0x0a && c !== 0x0d) break;
    end--;
  }
  return end === s.length ? s : s.slice(0, end);
}

/** UTF-8 size of `s[start, end)` (a lone surrogate counts 3, as its replacement character would). */
export function utf8Length(s: string, start = 0, end = s.length): number {
  return Buffer.byteLength(start === 0 && end === s.length ? s : s.slice(start, end), 'utf8');
}
