import { exceptionCouldMatchBelow, newPatternMatcher, readIgnoreFile } from '../dockerfile/ignore/index.ts';

/** A .dockerignore matcher for the context walker (undefined when nothing is ignored). */
export function contextIgnore(
  ignoreText: string | null,
):
  | { ignore: (relPath: string, isDir: boolean) => boolean; mayIncludeBelow: (relDir: string) => boolean }
  | undefined {
  const patterns = readIgnoreFile(ignoreText);
  if (patterns.length === 0) return undefined;
  const pm = newPatternMatcher(patterns);
  return {
    ignore: (relPath) => pm.matchesOrParentMatches(relPath),
    mayIncludeBelow: (relDir) => exceptionCouldMatchBelow(pm, relDir),
  };
}
