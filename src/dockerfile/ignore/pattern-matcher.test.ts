import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../../errors/index.ts';
import { matches, matchesOrParentMatches } from './matches.ts';
import { type MatchInfo, NO_PARENT_INFO, newPatternMatcher, type PatternMatcher } from './pattern-matcher.ts';

/** Walks `path` top-down through matchesUsingParentResults, as a context walker does. */
function walk(pm: PatternMatcher, path: string): boolean {
  const parts = path.split('/');
  let info: MatchInfo = NO_PARENT_INFO;
  let matched = false;
  for (let i = 1; i <= parts.length; i++) {
    ({ matched, info } = pm.matchesUsingParentResults(parts.slice(0, i).join('/'), info));
  }
  return matched;
}

// [patterns, path, excluded by matchesOrParentMatches]
const TABLE: [string[], string, boolean][] = [
  [['node_modules'], 'node_modules', true],
  [['node_modules'], 'node_modules/x/y.js', true],
  [['node_modules'], 'src/node_modules', false],
  [['**/node_modules'], 'src/node_modules/x', true],
  [['*.log'], 'a.log', true],
  [['*.log'], 'logs/a.log', false],
  [['**/*.log'], 'logs/deep/a.log', true],
  [['docs/'], 'docs/readme', true],
  [['/docs'], 'docs', false], // New does not strip the leading slash; readIgnoreFile does
  [['./docs'], 'docs', true],
  [['docs', '!docs/keep.md'], 'docs/keep.md', false],
  [['docs', '!docs/keep.md'], 'docs/other.md', true],
  [['docs', '!docs/keep.md', 'docs/keep.md'], 'docs/keep.md', true],
  [['*', '!*.go', 'vendor'], 'vendor/x.go', true],
  [['*', '!src'], 'src/deep/file', false],
  [['**', '!**/*.go'], 'a/b/c.go', false],
  [['a?c'], 'abc', true],
  [['a?c'], 'a/c', false],
  [['[a-c]*'], 'bz', true],
  [['[!a]'], '!', true], // no `!` negation in Go classes: `[!a]` is `!` or `a`
  [['[^a]'], '/', true], // a class goes to Go's regexp as is: `[^a]` matches '/' too
  [['dir/**'], 'dir', false],
  [['dir/**'], 'dir/', true],
  [['**/'], 'anything/at/all', true],
  [['a\\*b'], 'a*b', true],
  [['a\\*b'], 'axb', false],
  [['a\\d'], 'a7', true], // upstream hands `\d` to Go's regexp: a digit
  [['a\\d'], 'ad', false],
  [['[*]'], '/]', true], // `[*]` becomes the regexp `[[^/]*]`
  [['a|b*'], 'a/deep/path', true], // `|` is not escaped upstream: an alternation
  [['x{2}'], 'xx', false], // no wildcard: compared as text
  [['x{2}*'], 'xx', true],
  [['x{2}*'], 'x{2}', false],
  [['  spaced  '], 'spaced', true],
  [['', '   '], 'anything', false],
  [['!x'], 'x', false],
];

describe('PatternMatcher.matchesOrParentMatches and matchesUsingParentResults', () => {
  for (const [patterns, path, expected] of TABLE) {
    it(`${JSON.stringify(patterns)} ${JSON.stringify(path)} → ${expected}`, () => {
      const pm = newPatternMatcher(patterns);
      assert.equal(pm.matchesOrParentMatches(path), expected);
      assert.equal(pm.matchesUsingParentResults(path).matched, expected, 'no parent info');
      assert.equal(walk(pm, path), expected, 'walked with parent info');
    });
  }
});

describe('deprecated matches', () => {
  const table: [string[], string, boolean][] = [
    [['a/b'], 'a/b/c/d', true], // the parent with as many segments as the pattern
    [['b'], 'a/b/c', false], // only that one parent is tried
    [['a'], 'a/b/c', true],
    [['**/b'], 'a/b/c', true], // two segments: the parent tried is `a/b`
    [['**/b'], 'x/a/b/c', false], // the parent tried is `x/a`
  ];
  for (const [patterns, path, expected] of table) {
    it(`${JSON.stringify(patterns)} ${JSON.stringify(path)} → ${expected}`, () => {
      assert.equal(newPatternMatcher(patterns).matches(path), expected);
    });
  }

  it('differs from matchesOrParentMatches for a deeper parent', () => {
    const pm = newPatternMatcher(['b']);
    assert.equal(pm.matches('a/b/c'), false);
    assert.equal(pm.matchesOrParentMatches('b/c'), true);
    assert.equal(matchesOrParentMatches('x/../b/c', ['b']), true);
  });

  it('package-level matches cleans the path and never matches "."', () => {
    assert.equal(matches('./a/', ['a']), true);
    assert.equal(matches('.', ['*']), false);
    assert.equal(matches('a/..', ['**']), false);
    assert.equal(matches('/any/path', []), false);
  });
});

describe('newPatternMatcher', () => {
  it('keeps cleaned patterns and flags exceptions', () => {
    const pm = newPatternMatcher(['docs/', ' !docs/README.md ', '', 'a/../b']);
    assert.deepEqual(
      pm.patterns.map((p) => [p.pattern, p.exclusion]),
      [
        ['docs', false],
        ['docs/README.md', true],
        ['b', false],
      ],
    );
    assert.equal(pm.exclusions(), true);
    assert.equal(newPatternMatcher(['a']).exclusions(), false);
  });

  it('cleans before looking for `!`, as upstream (so `!a/../b` is an inclusion of b)', () => {
    const [p] = newPatternMatcher(['!a/../b']).patterns;
    assert.deepEqual([p!.pattern, p!.exclusion], ['b', false]);
  });

  const bad: [string[], string][] = [
    [['!'], 'illegal exclusion pattern: "!"'],
    [['ok', '['], 'invalid pattern "[": syntax error in pattern'],
    [['!a['], 'invalid pattern "!a[": syntax error in pattern'],
    [['[a-]'], 'syntax error in pattern'],
    [['x\\'], 'syntax error in pattern'],
    [['*[]'], 'syntax error in pattern'],
  ];
  for (const [patterns, message] of bad) {
    it(`rejects ${JSON.stringify(patterns)}`, () => {
      assert.throws(
        () => newPatternMatcher(patterns),
        (e: unknown) =>
          isGantryError(e, 'E_IGNORE_PATTERN') && e.message.includes(message) && e.hint !== undefined,
      );
    });
  }
});

describe('patterns Go cannot compile fail when matched, not when built', () => {
  it('fails on every call (moby/moby#52203)', () => {
    const pm = newPatternMatcher(['[Local-Only]/']);
    for (let i = 0; i < 2; i++) {
      assert.throws(
        () => pm.matchesOrParentMatches('x'),
        (e: unknown) => isGantryError(e, 'E_IGNORE_PATTERN') && e.message.includes('"[Local-Only]/"'),
      );
    }
  });

  it('fails only when the pattern is evaluated', () => {
    // after `**` the path is matched, so the later inclusion is skipped
    assert.equal(newPatternMatcher(['**', '[z-a]']).matchesOrParentMatches('x'), true);
    assert.throws(() => newPatternMatcher(['!x', '[z-a]']).matchesOrParentMatches('x'), isGantryError);
    assert.throws(() => newPatternMatcher(['a\\q']).matches('aq'), isGantryError);
  });
});

describe('matchesUsingParentResults', () => {
  it('returns per-pattern info for the children', () => {
    const pm = newPatternMatcher(['a', '!a/b', 'c']);
    const { matched, info } = pm.matchesUsingParentResults('a');
    assert.equal(matched, true);
    assert.deepEqual(info.parentMatched, [true, false, false]);
    assert.equal(pm.matchesUsingParentResults('a/b', info).matched, false);
    assert.equal(pm.matchesUsingParentResults('a/x', info).matched, true);
  });

  it('rejects info from a matcher with another pattern count (a caller bug)', () => {
    const pm = newPatternMatcher(['a', 'b']);
    assert.throws(
      () => pm.matchesUsingParentResults('a/x', { parentMatched: [true] }),
      (e: unknown) => e instanceof Error && !isGantryError(e) && /wrong number of values/.test(e.message),
    );
  });
});
