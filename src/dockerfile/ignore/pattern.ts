import { GantryError } from '../../errors/index.ts';
import { type CompiledPattern, compilePattern } from './compile-pattern.ts';
import { GoRegexpSyntaxError } from './go-regexp/ast.ts';
import { LazyDfa } from './go-regexp/lazy-dfa.ts';
import { parseGoRegexp } from './go-regexp/parse-go-regexp.ts';
import { compileProgram, couldMatchWithPrefix, type Program } from './go-regexp/program.ts';

type Compiled =
  | Exclude<CompiledPattern, { kind: 'regexp' }>
  | { kind: 'regexp'; program: Program; dfa: LazyDfa };

/**
 * One cleaned pattern of a PatternMatcher (`!` removed; `exclusion` says it had one).
 * Compiled on first use, as upstream: a pattern that passes the glob syntax check but whose
 * regexp Go cannot compile (e.g. the reversed range in `[Local-Only]`) fails every match.
 */
export class Pattern {
  private compiled: Compiled | GoRegexpSyntaxError | undefined;

  constructor(
    /** The cleaned pattern text without its `!`. */
    readonly pattern: string,
    readonly exclusion: boolean,
    /** The pattern as the caller gave it, for messages. */
    readonly original: string,
  ) {}

  toString(): string {
    return this.pattern;
  }

  /** Whether the '/'-separated `path` matches this pattern itself (no parent logic). */
  match(path: string): boolean {
    const c = this.compile();
    switch (c.kind) {
      case 'exact':
        return path === this.pattern;
      case 'prefix':
        return path.startsWith(c.prefix);
      case 'suffix':
        return path.endsWith(c.suffix) || (c.suffix.startsWith('/') && path === c.suffix.slice(1));
      case 'regexp':
        return c.dfa.match(path);
    }
  }

  /** Whether some path strictly below directory `dir` could match (conservative: may say yes wrongly, never no). */
  couldMatchBelow(dir: string): boolean {
    const prefix = dir + '/';
    let c: Compiled;
    try {
      c = this.compile();
    } catch {
      return true; // matching it would fail: let the caller find out by matching
    }
    switch (c.kind) {
      case 'exact':
        return this.pattern.startsWith(prefix) && this.pattern.length > prefix.length;
      case 'prefix':
        return c.prefix.startsWith(prefix) || prefix.startsWith(c.prefix);
      case 'suffix':
        return true;
      case 'regexp':
        return couldMatchWithPrefix(c.program, prefix);
    }
  }

  private compile(): Compiled {
    if (this.compiled === undefined) {
      const c = compilePattern(this.pattern);
      try {
        if (c.kind === 'regexp') {
          const program = compileProgram(parseGoRegexp(c.source));
          this.compiled = { kind: 'regexp', program, dfa: new LazyDfa(program) };
        } else {
          this.compiled = c;
        }
      } catch (e) {
        if (!(e instanceof GoRegexpSyntaxError)) throw e;
        this.compiled = e;
      }
    }
    if (this.compiled instanceof GoRegexpSyntaxError) throw badPattern(this.original, this.compiled);
    return this.compiled;
  }
}

/** E_IGNORE_PATTERN for a malformed pattern, worded as Go's `filepath.ErrBadPattern`. */
export function badPattern(pattern: string, cause?: unknown): GantryError {
  return new GantryError(
    'E_IGNORE_PATTERN',
    `invalid pattern ${JSON.stringify(pattern)}: syntax error in pattern`,
    {
      hint: 'Check the pattern: a `[` needs a matching `]` with a valid class inside, ranges run low to high, and `\\` escapes a following character.',
      cause,
    },
  );
}
