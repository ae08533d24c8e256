import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { levenshtein, suggest } from './suggest.ts';

describe('levenshtein', () => {
  const table: [string, string, number][] = [
    ['', '', 0],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['from', 'form', 2],
    ['☃x', 'x', 1],
  ];
  for (const [a, b, d] of table) it(`${a} → ${b}`, () => assert.equal(levenshtein(a, b), d));
  it('is a metric', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (a, b, c) => {
        assert.equal(levenshtein(a, b), levenshtein(b, a));
        assert.equal(levenshtein(a, a), 0);
        assert.ok(levenshtein(a, c) <= levenshtein(a, b) + levenshtein(b, c));
      }),
    );
  });
});

describe('suggest', () => {
  it('picks the closest option under distance 3, first wins ties', () => {
    assert.equal(suggest('buidl', ['build', 'test'], true), 'build');
    assert.equal(suggest('ab', ['ax', 'ay'], true), 'ax');
    assert.equal(suggest('zzzzz', ['build'], true), undefined);
  });
  it('returns nothing on an exact match', () => assert.equal(suggest('build', ['build'], true), undefined));
  it('matches case-insensitively in the input casing', () => {
    assert.equal(suggest('FORM', ['From'], false), 'FROM');
    assert.equal(suggest('form', ['FROM'], false), 'from');
    assert.equal(suggest('Form', ['FROM'], false), 'from');
    assert.equal(suggest('BUILD', ['build'], false), undefined);
  });
});
