import { cleanPath } from './clean-path.ts';
import { newPatternMatcher } from './pattern-matcher.ts';

/**
 * patternmatcher's package-level `Matches(file, patterns)` (deprecated upstream): builds a
 * matcher, cleans `file`, never matches `.` (the whole context), and uses the deprecated
 * single-parent rule of `PatternMatcher.matches`.
 */
export function matches(file: string, patterns: readonly string[]): boolean {
  const pm = newPatternMatcher(patterns);
  const clean = cleanPath(file);
  return clean !== '.' && pm.matches(clean);
}

/** Package-level `MatchesOrParentMatches(file, patterns)`: as `matches`, with every parent tried. */
export function matchesOrParentMatches(file: string, patterns: readonly string[]): boolean {
  const pm = newPatternMatcher(patterns);
  const clean = cleanPath(file);
  return clean !== '.' && pm.matchesOrParentMatches(clean);
}
