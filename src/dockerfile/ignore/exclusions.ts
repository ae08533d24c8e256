import type { MatchInfo, PatternMatcher } from './pattern-matcher.ts';

/** Whether any pattern is a `!` exception (upstream `Exclusions()`). */
export function hasExclusions(pm: PatternMatcher): boolean {
  return pm.exclusions();
}

/**
 * Whether a context walker must descend into `dir` (a '/'-separated relative path) even
 * though `dir` itself is excluded: true if some `!` exception pattern could match a path
 * strictly below it. When this is false, every path below an excluded `dir` is excluded
 * too (the last pattern matching any of them is still the one that excluded `dir`), so the
 * whole directory can be skipped. Conservative: it may say true when nothing below matches,
 * never false when something could (and true for a pattern whose matching would fail).
 *
 * Pass the `info` that `matchesUsingParentResults` returned for `dir` to consider only the
 * exceptions after the last pattern that excluded it.
 */
export function exceptionCouldMatchBelow(pm: PatternMatcher, dir: string, dirInfo?: MatchInfo): boolean {
  let from = 0;
  const matchedHere = dirInfo?.parentMatched ?? [];
  if (matchedHere.length === pm.patterns.length) {
    for (const [i, pattern] of pm.patterns.entries()) if (matchedHere[i] && !pattern.exclusion) from = i + 1;
  }
  return pm.patterns.slice(from).some((p) => p.exclusion && p.couldMatchBelow(dir));
}
