/**
 * "Did you mean" suggestions as BuildKit's util/suggest: the closest option by Levenshtein
 * distance, if closer than 3 edits; an exact match means the error is unrelated to the value.
 */

/** Edit distance with unit costs for insertion, deletion and substitution (over code points). */
export function levenshtein(a: string, b: string): number {
  const s = [...a];
  const t = [...b];
  if (s.length === 0) return t.length;
  if (t.length === 0) return s.length;
  let prev = Array.from({ length: t.length + 1 }, (_, i) => i);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      const sub = prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1);
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, sub));
    }
    prev = cur;
  }
  return prev[t.length]!;
}

function matchCase(val: string, orig: string): string {
  if (orig === orig.toLowerCase()) return val.toLowerCase();
  if (orig === orig.toUpperCase()) return val.toUpperCase();
  return val;
}

/**
 * The option closest to `val` (distance < 3; the first of equally close options wins), or
 * undefined. Case-insensitive search returns the option in `val`'s casing when `val` is all
 * lower or all upper case.
 */
export function suggest(val: string, options: Iterable<string>, caseSensitive: boolean): string | undefined {
  const v = caseSensitive ? val : val.toLowerCase();
  let match: string | undefined;
  let min = 3;
  for (const o of options) {
    const opt = caseSensitive ? o : o.toLowerCase();
    if (opt === v) return undefined;
    const d = levenshtein(v, opt);
    if (d < min) {
      match = caseSensitive ? opt : matchCase(opt, val);
      min = d;
    }
  }
  return match;
}

/** `message` with BuildKit's ` (did you mean X?)` suffix when a close option exists. */
export function withSuggestion(
  message: string,
  val: string,
  options: Iterable<string>,
  caseSensitive: boolean,
): string {
  const m = suggest(val, options, caseSensitive);
  return m === undefined ? message : `${message} (did you mean ${m}?)`;
}
