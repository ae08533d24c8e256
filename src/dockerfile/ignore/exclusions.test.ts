import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { exceptionCouldMatchBelow, hasExclusions } from './exclusions.ts';
import { newPatternMatcher } from './pattern-matcher.ts';

describe('hasExclusions', () => {
  it('says whether any pattern is an exception', () => {
    assert.equal(hasExclusions(newPatternMatcher(['a', '!b'])), true);
    assert.equal(hasExclusions(newPatternMatcher(['a', 'b'])), false);
  });
});

describe('exceptionCouldMatchBelow', () => {
  // [patterns, excluded dir, must descend]
  const table: [string[], string, boolean][] = [
    [['docs', '!docs/keep.md'], 'docs', true],
    [['docs', '!docs/keep.md'], 'other', false],
    [['docs', '!docs'], 'docs', false], // the exception is about docs itself, not below it
    [['*', '!src/*.ts'], 'src', true],
    [['*', '!src/*.ts'], 'lib', false],
    [['*', '!src/*.ts'], 'src/deep', false], // `*` stops at '/'
    [['**', '!**/*.go'], 'a/b', true],
    [['**', '!**/keep'], 'any/dir', true],
    [['x', '!x/keep**'], 'x', true],
    [['x', '!x/keep**'], 'x/keep-more', true],
    [['x', '!x/keep**'], 'y', false],
    [['x', '!?/a'], 'x', true],
    [['xy', '!?/a'], 'xy', false],
    [['a', '!a\\b'], 'a', false], // `\b` is a word boundary: never true between a and '/'
    [['build', '![z-a]'], 'build', true], // cannot be compiled: let the walker find out by matching
    [['build'], 'build', false],
  ];
  for (const [patterns, dir, expected] of table) {
    it(`${JSON.stringify(patterns)} below ${dir} → ${expected}`, () => {
      assert.equal(exceptionCouldMatchBelow(newPatternMatcher(patterns), dir), expected);
    });
  }

  it('with the directory info, ignores exceptions before the pattern that excluded it', () => {
    const pm = newPatternMatcher(['!docs/a', 'docs']);
    const { matched, info } = pm.matchesUsingParentResults('docs');
    assert.equal(matched, true);
    assert.equal(exceptionCouldMatchBelow(pm, 'docs'), true);
    assert.equal(exceptionCouldMatchBelow(pm, 'docs', info), false);
  });

  it('is sound: when it says no, everything below an excluded directory is excluded', () => {
    const segment = fc.constantFrom('a', 'b', 'ab', 'x.go', 'keep');
    const glob = fc
      .array(fc.constantFrom('a', 'b', '/', '*', '**', '?', '[ab]', '.go', 'keep', '|', '\\b', 'x'), {
        maxLength: 6,
      })
      .map((t) => t.join(''));
    const pattern = fc.tuple(fc.boolean(), glob).map(([neg, g]) => (neg ? '!' : '') + g);
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
    fc.assert(
      fc.property(fc.array(pattern, { minLength: 1, maxLength: 4 }), path, path, (patterns, dir, below) => {
        let pm: ReturnType<typeof newPatternMatcher>;
        try {
          pm = newPatternMatcher(patterns);
          if (!pm.matchesOrParentMatches(dir)) return;
          const { info } = pm.matchesUsingParentResults(dir);
          for (const dirInfo of [undefined, info]) {
            if (!exceptionCouldMatchBelow(pm, dir, dirInfo)) {
              assert.equal(pm.matchesOrParentMatches(`${dir}/${below}`), true, `${dir}/${below}`);
            }
          }
        } catch (e) {
          if (e instanceof assert.AssertionError) throw e;
        }
      }),
      { numRuns: 3000 },
    );
  });
});
