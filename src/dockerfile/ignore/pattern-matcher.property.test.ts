import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGantryError } from '../../errors/index.ts';
import { cleanPath } from './clean-path.ts';
import { exceptionCouldMatchBelow } from './exclusions.ts';
import { matches } from './matches.ts';
import { type MatchInfo, NO_PARENT_INFO, newPatternMatcher } from './pattern-matcher.ts';
import { readIgnoreFile } from './read-ignore-file.ts';

const TOKENS = [
  'a',
  'b',
  '/',
  '*',
  '**',
  '***',
  '?',
  '[',
  ']',
  '^',
  '-',
  '\\',
  '!',
  '.',
  '..',
  '(',
  ')',
  '|',
  '{',
  '}',
  '{2}',
  '{1,3}',
  '$',
  '+',
  ':',
  '[a-c]',
  '[^a]',
  '[:alpha:]',
  '\\d',
  '\\b',
  '\\p{Greek}',
  '\\pL',
  '\\Q',
  '\\E',
  '\\x41',
  '\\x{263a}',
  ' ',
  '\n',
  'é',
  '☺',
  '𝒜',
  '\ud800',
];
const pattern = fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }).map((t) => t.join(''));
const path = fc
  .array(fc.constantFrom('a', 'b', '/', '.', '..', 'x.go', '*', '[', ']', '\n', '☺', '\ud800', ''), {
    maxLength: 12,
  })
  .map((t) => t.join(''));

/** Runs `f`; anything thrown must be an E_IGNORE_PATTERN GantryError. Returns undefined on such an error. */
function onlyPatternErrors<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (!isGantryError(e, 'E_IGNORE_PATTERN')) throw e;
    return undefined;
  }
}

describe('PatternMatcher properties', () => {
  it('random patterns and paths throw nothing but E_IGNORE_PATTERN, and the three APIs agree', () => {
    fc.assert(
      fc.property(fc.array(pattern, { maxLength: 4 }), path, (patterns, p) => {
        const pm = onlyPatternErrors(() => newPatternMatcher(patterns));
        if (pm === undefined) return;
        onlyPatternErrors(() => pm.matches(p));
        onlyPatternErrors(() => matches(p, patterns));
        onlyPatternErrors(() => exceptionCouldMatchBelow(pm, p));
        const direct = onlyPatternErrors(() => pm.matchesOrParentMatches(p));
        const noContext = onlyPatternErrors(() => pm.matchesUsingParentResults(p).matched);
        const walked = onlyPatternErrors(() => {
          const parts = p.split('/');
          let info: MatchInfo = NO_PARENT_INFO;
          let m = false;
          for (let i = 1; i <= parts.length; i++) {
            ({ matched: m, info } = pm.matchesUsingParentResults(parts.slice(0, i).join('/'), info));
          }
          return m;
        });
        assert.equal(noContext, direct);
        // a walker visits clean relative paths; for those, walking equals checking every parent
        const walkable = cleanPath(p) === p && !p.startsWith('/') && !p.startsWith('..') && p !== '.';
        if (walkable && walked !== undefined && direct !== undefined) assert.equal(walked, direct);
      }),
      { numRuns: 5000 },
    );
  });

  it('random .dockerignore text reads without throwing into non-empty patterns not starting with a slash', () => {
    const text = fc
      .array(fc.constantFrom('a', '/', '!', '#', ' ', '\n', '\r', '\t', '\ufeff', '\u0085', '..', '.', '*'), {
        maxLength: 30,
      })
      .map((t) => t.join(''));
    fc.assert(
      fc.property(text, (t) => {
        for (const p of readIgnoreFile(t)) {
          assert.notEqual(p, '');
          assert.ok(p === '/' || !p.startsWith('/'), p);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('matches in time linear in the path, even for patterns that make backtracking engines explode', () => {
    const pm = newPatternMatcher([
      '*a*a*a*a*a*a*a*a*a*a*a*a*b',
      '**/**/**/**/**/**/**/**/x',
      'a{2}*a{2}*a{2}*a{2}*c',
    ]);
    const long = `${'a/'.repeat(500)}${'a'.repeat(5000)}`;
    assert.equal(pm.matchesOrParentMatches('a'.repeat(5000)), false);
    assert.equal(pm.matchesOrParentMatches(long), false);
  });
});
