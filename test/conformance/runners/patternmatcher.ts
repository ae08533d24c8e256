/**
 * Runner for patternmatcher.json (moby/patternmatcher): every listed API of a match row must
 * give `expected` (or fail with E_IGNORE_PATTERN when `expect_error`); `new` rows check the
 * pattern list; `compile` rows compare our port of `Pattern.compile` (type and, for the '/'
 * separator, the exact Go regexp text we hand to our Go-regexp engine).
 */

import { cleanPath } from '../../../src/dockerfile/ignore/clean-path.ts';
import { compilePattern } from '../../../src/dockerfile/ignore/compile-pattern.ts';
import {
  matches,
  NO_PARENT_INFO,
  newPatternMatcher,
  type PatternMatcher,
} from '../../../src/dockerfile/ignore/index.ts';
import { isGantryError } from '../../../src/errors/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface PatternCase {
  id: string;
  kind?: 'new' | 'new+match' | 'compile';
  patterns: string[];
  path?: string;
  expected?: boolean;
  expect_error?: boolean;
  error?: string;
  apis: string[];
  platform: string;
  pattern_count?: number;
  has_exclusions?: boolean;
  new_ok?: boolean;
  expected_match_type?: string;
  expected_regexp_slash?: string;
}

type Result = { value: boolean } | { error: unknown };

function attempt(f: () => boolean): Result {
  try {
    return { value: f() };
  } catch (error) {
    return { error };
  }
}

function iterateParents(pm: PatternMatcher, path: string): boolean {
  const parts = path.split('/');
  let info = NO_PARENT_INFO;
  let matched = false;
  for (let i = 1; i <= parts.length; i++) {
    ({ matched, info } = pm.matchesUsingParentResults(parts.slice(0, i).join('/'), info));
  }
  return matched;
}

/** API name in the corpus → how to call it; undefined = an API we do not provide. */
function apiCall(api: string, c: PatternCase, path: string): (() => boolean) | undefined {
  if (api.startsWith('Matches(file, patterns)')) return () => matches(path, c.patterns);
  const pm = () => newPatternMatcher(c.patterns);
  switch (api) {
    case 'MatchesOrParentMatches':
      return () => pm().matchesOrParentMatches(path);
    case 'MatchesUsingParentResults(iterated over parents)':
      return () => iterateParents(pm(), path);
    case 'MatchesUsingParentResults(no parent context)':
      return () => pm().matchesUsingParentResults(path).matched;
    default:
      // MatchesUsingParentResult (singular) is deprecated upstream as wrong; not provided.
      return undefined;
  }
}

function judge(c: PatternCase, api: string, r: Result): string | undefined {
  if (c.expect_error === true) {
    if (!('error' in r)) return `${api}: expected an error, got ${r.value}`;
    if (!isGantryError(r.error, 'E_IGNORE_PATTERN'))
      return `${api}: expected E_IGNORE_PATTERN, got ${String(r.error)}`;
    if (c.error !== undefined && !r.error.message.includes(c.error))
      return `${api}: message ${r.error.message}`;
    return undefined;
  }
  if ('error' in r) return `${api}: unexpected error ${String(r.error)}`;
  return r.value === c.expected ? undefined : `${api}: expected ${c.expected}, got ${r.value}`;
}

function runMatchRow(c: PatternCase): CaseOutcome {
  const problems: string[] = [];
  let checked = 0;
  for (const api of c.apis) {
    const call = apiCall(api, c, c.path ?? '');
    if (call === undefined) continue;
    checked++;
    const problem = judge(c, api, attempt(call));
    if (problem !== undefined) problems.push(problem);
  }
  if (checked === 0)
    return { id: c.id, status: 'skip', detail: `no provided API among ${c.apis.join(', ')}` };
  if (problems.length > 0) {
    return {
      id: c.id,
      status: 'fail',
      detail: `${JSON.stringify(c.patterns)} ${JSON.stringify(c.path)}: ${problems.join('; ')}`,
    };
  }
  return { id: c.id, status: 'pass' };
}

function runNewRow(c: PatternCase): CaseOutcome {
  const r = attempt(() => {
    const pm = newPatternMatcher(c.patterns);
    if (c.pattern_count !== undefined && pm.patterns.length !== c.pattern_count) {
      throw new Error(`pattern_count ${pm.patterns.length}, expected ${c.pattern_count}`);
    }
    if (c.has_exclusions !== undefined && pm.exclusions() !== c.has_exclusions) {
      throw new Error(`exclusions() ${pm.exclusions()}, expected ${c.has_exclusions}`);
    }
    return true;
  });
  const problem = judge({ ...c, expected: true }, 'New', r);
  return problem === undefined ? { id: c.id, status: 'pass' } : { id: c.id, status: 'fail', detail: problem };
}

function runNewThenMatchRow(c: PatternCase): CaseOutcome {
  const built = attempt(() => {
    newPatternMatcher(c.patterns);
    return true;
  });
  if ('error' in built) {
    return c.new_ok === false
      ? { id: c.id, status: 'pass' }
      : { id: c.id, status: 'fail', detail: `New: ${String(built.error)}` };
  }
  const pm = newPatternMatcher(c.patterns);
  const problems: string[] = [];
  for (const round of [1, 2]) {
    const problem = judge(
      c,
      `MatchesOrParentMatches call ${round}`,
      attempt(() => pm.matchesOrParentMatches(c.path ?? '')),
    );
    if (problem !== undefined) problems.push(problem);
  }
  return problems.length === 0
    ? { id: c.id, status: 'pass' }
    : { id: c.id, status: 'fail', detail: problems.join('; ') };
}

const MATCH_TYPES: Record<string, string> = {
  exact: 'exactMatch',
  prefix: 'prefixMatch',
  suffix: 'suffixMatch',
  regexp: 'regexpMatch',
};

function runCompileRow(c: PatternCase): CaseOutcome {
  const compiled = compilePattern(cleanPath(c.patterns[0] ?? ''));
  const type = MATCH_TYPES[compiled.kind];
  if (type !== c.expected_match_type) {
    return { id: c.id, status: 'fail', detail: `match type ${type}, expected ${c.expected_match_type}` };
  }
  if (c.expected_regexp_slash !== undefined) {
    const source = compiled.kind === 'regexp' ? compiled.source : undefined;
    if (source !== c.expected_regexp_slash) {
      return { id: c.id, status: 'fail', detail: `regexp ${source}, expected ${c.expected_regexp_slash}` };
    }
  }
  return { id: c.id, status: 'pass' };
}

export const run: Runner = (data) => {
  const cases = (data as { cases: PatternCase[] }).cases;
  return cases.map((c): CaseOutcome => {
    if (c.platform === 'windows') return { id: c.id, status: 'skip', detail: 'Windows-only row' };
    switch (c.kind) {
      case 'new':
        return runNewRow(c);
      case 'new+match':
        return runNewThenMatchRow(c);
      case 'compile':
        return runCompileRow(c);
      default:
        return runMatchRow(c);
    }
  });
};
