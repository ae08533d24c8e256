import { GantryError } from '../../errors/index.ts';
import { goTrimSpace } from '../go-strings.ts';
import { checkGlobSyntax } from './check-glob-syntax.ts';
import { cleanPath, dirPath } from './clean-path.ts';
import { badPattern, Pattern } from './pattern.ts';

/**
 * What `matchesUsingParentResults` learnt about a directory, to pass in for its children:
 * whether each pattern matched it (or a parent). `NO_PARENT_INFO` = nothing known yet.
 */
export interface MatchInfo {
  readonly parentMatched: readonly boolean[];
}

export const NO_PARENT_INFO: MatchInfo = { parentMatched: [] };

/**
 * An ordered list of `.dockerignore` / `COPY --exclude` patterns (moby/patternmatcher):
 * a path is matched (excluded) when the last pattern that matches it (or one of its
 * parent directories) is not a `!` exception. Paths are '/'-separated and relative.
 */
export class PatternMatcher {
  readonly patterns: readonly Pattern[];
  private readonly anyExclusion: boolean;

  /** Use `newPatternMatcher`, which validates. */
  constructor(patterns: readonly Pattern[]) {
    this.patterns = patterns;
    this.anyExclusion = patterns.some((p) => p.exclusion);
  }

  /** Whether any pattern is a `!` exception. */
  exclusions(): boolean {
    return this.anyExclusion;
  }

  /**
   * Deprecated upstream semantics (`PatternMatcher.Matches`): besides the path itself, only
   * the one parent prefix with as many segments as the pattern is tried.
   */
  matches(file: string): boolean {
    const parent = dirPath(file);
    const parentDirs = parent.split('/');
    return this.evaluate((pattern) => {
      if (pattern.match(file)) return true;
      if (parent === '.') return false;
      const segments = pattern.pattern.split('/').length;
      return segments <= parentDirs.length && pattern.match(parentDirs.slice(0, segments).join('/'));
    });
  }

  /** `MatchesOrParentMatches`: a pattern matches the path or any of its parent directories. */
  matchesOrParentMatches(file: string): boolean {
    const parents = new ParentDirs(file);
    return this.evaluate((pattern) => pattern.match(file) || parents.someMatch(pattern));
  }

  /**
   * `MatchesUsingParentResults`: as `matchesOrParentMatches`, for a walker that visits a
   * directory before its children and passes the directory's `info` in for each child (or
   * `NO_PARENT_INFO`, which checks the parents here).
   */
  matchesUsingParentResults(
    file: string,
    parentInfo: MatchInfo = NO_PARENT_INFO,
  ): { matched: boolean; info: MatchInfo } {
    const parentMatched = parentInfo.parentMatched;
    if (parentMatched.length !== 0 && parentMatched.length !== this.patterns.length) {
      throw new Error(
        `wrong number of values in parentMatched: ${parentMatched.length} for ${this.patterns.length} patterns`,
      );
    }
    const known = parentMatched.length !== 0;
    const parents = new ParentDirs(file);
    const now: boolean[] = [];
    let matched = false;
    for (const [i, pattern] of this.patterns.entries()) {
      let match = known && parentMatched[i] === true;
      if (!match) {
        if (pattern.exclusion !== matched) {
          now.push(false);
          continue;
        }
        match = pattern.match(file) || (!known && parents.someMatch(pattern));
      }
      now.push(match);
      if (match) matched = !pattern.exclusion;
    }
    return { matched, info: { parentMatched: now } };
  }

  /** Runs the patterns in order; only those that could change the answer are tried. */
  private evaluate(test: (pattern: Pattern) => boolean): boolean {
    let matched = false;
    for (const pattern of this.patterns) {
      if (pattern.exclusion !== matched) continue;
      if (test(pattern)) matched = !pattern.exclusion;
    }
    return matched;
  }
}

/**
 * The proper parent directories of a path, shortest first, as upstream lists them
 * (`filepath.Dir` split on '/'; none when it is `.`), computed once per path.
 */
class ParentDirs {
  private list: string[] | undefined;
  constructor(private readonly file: string) {}

  /** Whether `pattern` matches one of them (upstream ignores errors here). */
  someMatch(pattern: Pattern): boolean {
    if (this.list === undefined) {
      const parent = dirPath(this.file);
      this.list = [];
      if (parent !== '.') {
        let i = parent.indexOf('/');
        for (; i >= 0; i = parent.indexOf('/', i + 1)) this.list.push(parent.slice(0, i));
        this.list.push(parent);
      }
    }
    return this.list.some((dir) => pattern.match(dir));
  }
}

/**
 * patternmatcher's `New`: trims each pattern, drops empty ones, cleans the rest (Go
 * `filepath.Clean`, so `docs/` → `docs`), splits off a leading `!`, and checks the glob
 * syntax. Throws E_IGNORE_PATTERN for a lone `!` or a malformed pattern.
 */
export function newPatternMatcher(patterns: readonly string[]): PatternMatcher {
  const out: Pattern[] = [];
  for (const original of patterns) {
    const trimmed = goTrimSpace(original);
    if (trimmed === '') continue;
    let p = cleanPath(trimmed);
    const exclusion = p.startsWith('!');
    if (exclusion) {
      if (p.length === 1) {
        throw new GantryError('E_IGNORE_PATTERN', 'illegal exclusion pattern: "!"', {
          hint: 'A `!` line needs a pattern after it (`!keep/this`); remove the lone `!`.',
        });
      }
      p = p.slice(1);
    }
    if (!checkGlobSyntax(p)) throw badPattern(original);
    out.push(new Pattern(p, exclusion, original));
  }
  return new PatternMatcher(out);
}
