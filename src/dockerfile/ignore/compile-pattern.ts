/**
 * How patternmatcher classifies a cleaned pattern (its `Pattern.compile`, Unix separator):
 * - `exact`: no wildcard, compare whole paths;
 * - `prefix`: `lit**` with no wildcard before the final `**` (path starts with `lit`);
 * - `suffix`: starts with `**` and has no other wildcard (path ends with the rest, or
 *   `**\/x` matches `x` itself);
 * - `regexp`: anything else, translated to the Go regular expression upstream builds.
 * The regexp text is kept in Go syntax on purpose: upstream hands `[`, `]`, `^`, `|`, `{`,
 * `}` and `\x` escapes to Go's regexp package unchanged, so `go-regexp/` parses it as Go would.
 */
export type CompiledPattern =
  | { kind: 'exact' }
  | { kind: 'prefix'; prefix: string }
  | { kind: 'suffix'; suffix: string }
  | { kind: 'regexp'; source: string };

/**
 * The characters upstream's `shouldEscape` really escapes. It means `.+()|{}$`, but its
 * 8-byte bitmap sets bit `c/8`, which overflows a byte for `c >= 64`: `|`, `{` and `}` pass
 * through unescaped, so `a|b` is an alternation and `x{2}` a repetition in Docker too.
 */
const ESCAPED = new Set(['.', '+', '(', ')', '$']);

export function compilePattern(pattern: string): CompiledPattern {
  const cps = Array.from(pattern);
  let re = '^';
  let kind: 'exact' | 'prefix' | 'suffix' | 'regexp' = 'exact';
  let i = 0;
  for (let iteration = 0; i < cps.length; iteration++) {
    const c = cps[i++]!;
    if (c === '*') {
      if (cps[i] === '*') {
        i++;
        if (cps[i] === '/') i++;
        if (i >= cps.length) {
          if (kind === 'exact') kind = 'prefix';
          else {
            re += '.*';
            kind = 'regexp';
          }
        } else {
          re += '(.*/)?';
          kind = 'regexp';
        }
        if (iteration === 0) kind = 'suffix';
      } else {
        re += '[^/]*';
        kind = 'regexp';
      }
    } else if (c === '?') {
      re += '[^/]';
      kind = 'regexp';
    } else if (ESCAPED.has(c)) {
      re += '\\' + c;
    } else if (c === '\\') {
      if (i < cps.length) {
        re += '\\' + cps[i++]!;
        kind = 'regexp';
      } else {
        re += '\\';
      }
    } else if (c === '[' || c === ']') {
      re += c;
      kind = 'regexp';
    } else {
      re += c;
    }
  }
  switch (kind) {
    case 'exact':
      return { kind };
    case 'prefix':
      return { kind, prefix: pattern.slice(0, -2) };
    case 'suffix':
      return { kind, suffix: pattern.slice(2) };
    case 'regexp':
      return { kind, source: re + '$' };
  }
}
