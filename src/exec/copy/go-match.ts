import { GantryError } from '../../errors/gantry-error.ts';

function badPattern(pattern: string): GantryError {
  return new GantryError('E_COPY_BAD_PATTERN', `syntax error in pattern ${JSON.stringify(pattern)}`, {
    hint: 'Fix the wildcard: a `[` needs a closing `]`, ranges need both ends, and `\\` escapes one character.',
  });
}

function escapeChar(ch: string): string {
  return `\\u{${(ch.codePointAt(0) ?? 0).toString(16)}}`;
}

/**
 * Compiles a Go `path.Match` pattern into an anchored RegExp: `*` is any run of non-'/'
 * characters, `?` one non-'/' character, `[...]`/`[^...]` a class of runes (ranges `a-z`), and
 * `\` escapes. Throws E_COPY_BAD_PATTERN for what Go reports as ErrBadPattern.
 */
export function compileGoPattern(pattern: string): RegExp {
  const chars = Array.from(pattern);
  let out = '^';
  let i = 0;
  const next = (): string | undefined => chars[i++];
  while (i < chars.length) {
    const c = next() as string;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      const e = next();
      if (e === undefined) throw badPattern(pattern);
      out += escapeChar(e);
    } else if (c === '[') {
      let negated = false;
      if (chars[i] === '^') {
        negated = true;
        i++;
      }
      const ranges: string[] = [];
      const getEsc = (): string => {
        const ch = next();
        if (ch === undefined || ch === '-' || ch === ']') throw badPattern(pattern);
        if (ch === '\\') {
          const e = next();
          if (e === undefined) throw badPattern(pattern);
          return e;
        }
        return ch;
      };
      for (;;) {
        if (chars[i] === ']' && ranges.length > 0) {
          i++;
          break;
        }
        const lo = getEsc();
        let hi = lo;
        if (chars[i] === '-') {
          i++;
          hi = getEsc();
          if ((hi.codePointAt(0) ?? 0) < (lo.codePointAt(0) ?? 0)) throw badPattern(pattern);
        }
        ranges.push(`${escapeChar(lo)}-${escapeChar(hi)}`);
      }
      // As in Go, a class (even negated) may match the separator.
      out += negated ? `[^${ranges.join('')}]` : `[${ranges.join('')}]`;
    } else out += escapeChar(c);
  }
  return new RegExp(`${out}$`, 'u');
}

/** Go's `path.Match(pattern, name)`. */
export function goMatch(pattern: string, name: string): boolean {
  return compileGoPattern(pattern).test(name);
}

/** Whether `name` has an unescaped `*`, `?` or `[` (BuildKit's containsWildcards). */
export function containsWildcards(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const ch = name[i];
    if (ch === '\\') i++;
    else if (ch === '*' || ch === '?' || ch === '[') return true;
  }
  return false;
}

/**
 * Splits a cleaned absolute path into the part before the first segment with a wildcard and the
 * rest: `/a/b*\/c` → ['/a', 'b*\/c']; no wildcard → [path, ''].
 */
export function splitWildcards(p: string): [string, string] {
  const parts = p.split('/').filter((s) => s !== '');
  const idx = parts.findIndex((s) => containsWildcards(s));
  if (idx === -1) return [`/${parts.join('/')}`, ''];
  return [`/${parts.slice(0, idx).join('/')}`, parts.slice(idx).join('/')];
}
