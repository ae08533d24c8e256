import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GoRegexpSyntaxError } from './ast.ts';
import { parseGoRegexp } from './parse-go-regexp.ts';
import { compileProgram, couldMatchWithPrefix, matchProgram } from './program.ts';

/**
 * Go `regexp.MatchString` answers for regexps patternmatcher can produce, checked against
 * Go's regexp package: [regexp, input, matches], or 'error' when `regexp.Compile` rejects it.
 */
const CASES: [source: string, input: string, expected: boolean | 'error'][] = [
  ['^[^/]*\\.go$', 'main.go', true],
  ['^[^/]*\\.go$', 'cmd/main.go', false],
  ['^(.*/)?[^/]*\\.md$', 'a/b/c.md', true],
  ['^(.*/)?[^/]*\\.md$', 'c.md', true],
  ['^(.*/)?x$', 'a\n/x', false],
  ['^[^/]*$', 'a\nb', true],
  ['^.*$', 'a\nb', false],
  ['^a\\d$', 'a1', true],
  ['^a\\d$', 'ad', false],
  ['^\\D\\s\\S\\w\\W$', 'x a_-', true],
  ['^\\s$', '\v', false],
  ['^[[:space:]]$', '\v', true],
  ['^[[:alpha:]]$', 'q', true],
  ['^[[:alpha:]]]$', 'q]', true],
  ['^[[:^digit:]x]$', '5', false],
  ['^[[:foo:]]$', 'f', 'error'],
  ['^[[:a]b:]$', 'a', 'error'],
  ['^[[^/]*]$', '/]', true],
  ['^[[^/]*]$', '^^[]', true],
  ['^[[^/]*]$', 'a]', false],
  ['^[^a]$', '\n', true],
  ['^[]a]$', ']', true],
  ['^[a-]$', '-', true],
  ['^[a-\\d]$', '-', 'error'],
  ['^[z-a]$', 'a', 'error'],
  ['^[\\x41-\\x{5A}]$', 'Q', true],
  ['^\\x{263a}$', '☺', true],
  ['^\\x{}$', 'x', 'error'],
  ['^\\x{110000}$', 'x', 'error'],
  ['^\\x4$', 'x', 'error'],
  ['^\\101\\0$', 'A\0', true],
  ['^\\1$', '1', 'error'],
  ['^\\8$', '8', 'error'],
  ['^\\e$', 'e', 'error'],
  ['^\\é$', 'é', 'error'],
  ['^\\_$', '_', true],
  ['^\\C$', 'C', 'error'],
  ['^a\\b$', 'a', true],
  ['^a\\bb$', 'ab', false],
  ['^a\\Bb$', 'ab', true],
  ['^\\Aab\\z$', 'ab', true],
  ['^\\pL\\p{Greek}\\PN\\p{^Latin}$', 'xωaα', true],
  ['^\\p{Greek}$', 'a', false],
  ['^\\p{Klingon}$', 'a', 'error'],
  ['^\\p{L$', 'a', 'error'],
  ['^\\p$', 'p', 'error'],
  ['^\\p{C}$', '\u0378', false],
  ['^\\p{C}$', '\u00ad', true],
  ['^\\p{Any}$', '𝒜', true],
  ['^[\\pN\\s]+$', '1 2', true],
  ['^\\Qa[^/]*$', 'a[^/]*$', true],
  ['^\\Qa[^/]*$', 'abc', false],
  ['^\\Qa*\\E[^/]*$', 'a*bc', true],
  ['^a|b[^/]*$', 'axyz/q', true],
  ['^a|b[^/]*$', 'zb', true],
  ['^a|b[^/]*$', 'zb/', false],
  ['^x|$', 'anything', true],
  ['^x{2}$', 'xx', true],
  ['^x{2}$', 'x', false],
  ['^x{1,}$', 'xxxx', true],
  ['^x{0}y$', 'y', true],
  ['^x{2,3}$', 'xxxx', false],
  ['^x{,2}$', 'x{,2}', true],
  ['^x{01}$', 'x{01}', true],
  ['^x{1001}$', 'x', 'error'],
  ['^x{3,2}$', 'x', 'error'],
  ['^{2}$', 'x', false],
  ['{2}', 'x', 'error'],
  ['^[^/]*{2}$', 'x', 'error'],
  ['^(.*/)?{2}$', 'x', 'error'],
  ['^a|*$', 'a', 'error'],
  ['^^a$', 'a', true],
  ['^a^b[^/]*$', 'ab', false],
  ['^a$b[^/]*$', 'ab', false],
  ['^(.*/)?(.*/)?(.*/)?[^/]*a[^/]*a[^/]*a[^/]*a[^/]*b$', `${'a/'.repeat(40)}${'a'.repeat(60)}`, false],
];

function goMatch(source: string, input: string): boolean {
  return matchProgram(compileProgram(parseGoRegexp(source)), input);
}

describe('Go regexp syntax and matching', () => {
  for (const [source, input, expected] of CASES) {
    it(`${source} on ${JSON.stringify(input.length > 30 ? input.slice(0, 30) + '…' : input)}`, () => {
      if (expected === 'error') assert.throws(() => parseGoRegexp(source), GoRegexpSyntaxError);
      else assert.equal(goMatch(source, input), expected);
    });
  }

  it('reads a lone surrogate as U+FFFD, as Go reads the UTF-8 of the string', () => {
    assert.equal(goMatch('^\\x{FFFD}$', '\ud800'), true);
    assert.equal(goMatch('^\\p{Cs}$', '\udc00'), false);
  });
});

describe('couldMatchWithPrefix', () => {
  const table: [source: string, prefix: string, expected: boolean][] = [
    ['^a/[^/]*\\.go$', 'a/', true],
    ['^a/[^/]*\\.go$', 'b/', false],
    ['^(.*/)?keep$', 'deep/dir/', true],
    ['^[^/]*/x$', 'a/b/', false],
    ['^[^/]*/x$', 'a/', true],
    ['^x$', 'x/', false],
    ['^\\Qab', 'ab/', true], // matched before the end: any continuation matches
    ['^a\\bb$', 'a/', false],
    ['^src/.*$', 'src/', true],
  ];
  for (const [source, prefix, expected] of table) {
    it(`${source} below ${prefix}`, () => {
      assert.equal(couldMatchWithPrefix(compileProgram(parseGoRegexp(source)), prefix), expected);
    });
  }
});
