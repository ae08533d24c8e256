/**
 * Whether `pattern` is well formed for Go's `filepath.Match` (Unix): the check
 * patternmatcher's `New` makes with `filepath.Match(pattern, ".")`. Go's Match checks every
 * chunk between unbracketed `*`s, so this is a pure syntax check:
 * - `\` escapes the next character; a trailing `\` is an error;
 * - `[` opens a class: optional `^`, then one or more items `c` or `c-c` up to `]`, where
 *   `c` is any character but `-` and `]` (or `\` + any character); an unterminated or
 *   empty class, a dangling `-`, or `a-b-c` is an error. Range order is not checked.
 */
export function checkGlobSyntax(pattern: string): boolean {
  const cps = Array.from(pattern);
  let i = 0;
  while (i < cps.length) {
    const c = cps[i]!;
    if (c === '\\') {
      if (i + 1 >= cps.length) return false;
      i += 2;
    } else if (c === '[') {
      const end = classEnd(cps, i + 1);
      if (end < 0) return false;
      i = end;
    } else {
      i++;
    }
  }
  return true;
}

/** Parses a class body starting after `[`; returns the index after its `]`, or -1. */
function classEnd(cps: string[], i: number): number {
  if (cps[i] === '^') i++;
  let items = 0;
  for (;;) {
    if (cps[i] === ']' && items > 0) return i + 1;
    const lo = classChar(cps, i);
    if (lo < 0) return -1;
    i = lo;
    if (cps[i] === '-') {
      const hi = classChar(cps, i + 1);
      if (hi < 0) return -1;
      i = hi;
    }
    items++;
  }
}

/**
 * Go's `getEsc`: one class character at `i` (not `-` or `]`, `\` escapes), which must be
 * followed by more pattern. Returns the index after it, or -1.
 */
function classChar(cps: string[], i: number): number {
  const c = cps[i];
  if (c === undefined || c === '-' || c === ']') return -1;
  if (c === '\\') {
    i++;
    if (i >= cps.length) return -1;
  }
  i++;
  return i < cps.length ? i : -1;
}
