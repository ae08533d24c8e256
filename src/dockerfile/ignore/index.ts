export { checkGlobSyntax } from './check-glob-syntax.ts';
export { cleanPath, dirPath } from './clean-path.ts';
export { exceptionCouldMatchBelow, hasExclusions } from './exclusions.ts';
export { matches, matchesOrParentMatches } from './matches.ts';
export { Pattern } from './pattern.ts';
export { type MatchInfo, NO_PARENT_INFO, newPatternMatcher, PatternMatcher } from './pattern-matcher.ts';
export { readIgnoreFile } from './read-ignore-file.ts';
