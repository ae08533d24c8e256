// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell ${...} syntax, not JS templates
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  expandTemplate,
  replaceAll,
  replaceFirst,
  reversePattern,
  trimPrefix,
  trimSuffix,
} from './pattern-ops.ts';
import { ShellFailure } from './shell-error.ts';

describe('trimPrefix / trimSuffix', () => {
  const table: { op: '#' | '##' | '%' | '%%'; pattern: string; value: string; want: string }[] = [
    { op: '#', pattern: 'a*', value: 'abcabc', want: 'bcabc' },
    { op: '##', pattern: 'a*', value: 'abcabc', want: '' },
    { op: '#', pattern: '*c', value: 'abcabc', want: 'abc' },
    { op: '##', pattern: '*c', value: 'abcabc', want: '' },
    { op: '%', pattern: 'b*', value: 'abcabc', want: 'abca' },
    { op: '%%', pattern: 'b*', value: 'abcabc', want: 'a' },
    { op: '%', pattern: '?', value: 'héllo😀', want: 'héllo' },
    { op: '#', pattern: '??', value: '😀😀x', want: 'x' },
    { op: '#', pattern: 'x', value: 'abc', want: 'abc' },
    { op: '#', pattern: '', value: 'abc', want: 'abc' },
    { op: '%%', pattern: '*', value: 'abc', want: '' },
    { op: '%', pattern: '*', value: 'abc', want: 'abc' },
    // `*` and `?` do not cross a newline (Go regexp `.`).
    { op: '##', pattern: '*', value: 'ab\ncd', want: '\ncd' },
    { op: '%%', pattern: '*', value: 'ab\ncd', want: 'ab\n' },
    { op: '#', pattern: 'a?c', value: 'a\nc', want: 'a\nc' },
    { op: '#', pattern: 'a\nc', value: 'a\ncd', want: 'd' },
    // Escapes and characters that are special to regular expressions.
    { op: '#', pattern: '\\*', value: '**x', want: '*x' },
    { op: '##', pattern: '\\**', value: '**x', want: '' },
    { op: '%', pattern: 'c\\?', value: 'abc?', want: 'ab' },
    { op: '#', pattern: '\\\\', value: '\\x', want: 'x' },
    { op: '#', pattern: '[ab]', value: '[ab]c', want: 'c' },
    { op: '#', pattern: '(.+)|^$', value: '(.+)|^$!', want: '!' },
    { op: '#', pattern: 'a\\}', value: 'a}b', want: 'b' },
    { op: '%', pattern: '\\/b', value: 'a/b', want: 'a' },
    // A byte order mark opening the pattern is ignored (Go's text/scanner).
    { op: '#', pattern: '\ufeffa', value: 'ab', want: 'b' },
  ];
  for (const { op, pattern, value, want } of table) {
    it(`\${v${op}${JSON.stringify(pattern)}} of ${JSON.stringify(value)} → ${JSON.stringify(want)}`, () => {
      const greedy = op.length === 2;
      const got = op[0] === '#' ? trimPrefix(pattern, value, greedy) : trimSuffix(pattern, value, greedy);
      assert.equal(got, want);
    });
  }

  it("rejects escapes other than \\* \\? \\\\ \\} \\/ with BuildKit's message", () => {
    for (const [pattern, shown, esc] of [
      ['\\a', '\\a', '\\a'],
      ['x\\', 'x\\', '\\\uFFFD'],
      ['\\[', '\\[', '\\['],
    ] as const) {
      assert.throws(
        () => trimPrefix(pattern, 'x', false),
        (e: unknown) =>
          e instanceof ShellFailure &&
          e.code === 'E_SHELL_BAD_PATTERN' &&
          e.message === `invalid pattern (${shown}) in substitution: invalid escape '${esc}'`,
      );
    }
  });

  it('names the reversed pattern when a % pattern is rejected, as BuildKit does', () => {
    assert.throws(() => trimSuffix('ab\\c', 'x', false), {
      message: "invalid pattern (\\cba) in substitution: invalid escape '\\c'",
    });
  });
});

describe('reversePattern', () => {
  const table: [string, string][] = [
    ['abc', 'cba'],
    ['a\\*c', 'c\\*a'],
    ['\\\\\\ab', 'b\\a\\\\'],
    ['ab\\', '\\ba'],
    ['😀\\🚀x', 'x\\🚀😀'],
  ];
  for (const [input, want] of table) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => assert.equal(reversePattern(input), want));
  }
});

describe('replaceFirst / replaceAll', () => {
  const table: { all: boolean; pattern: string; value: string; repl: string; want: string }[] = [
    { all: false, pattern: 'o', value: 'foo', repl: '0', want: 'f0o' },
    { all: true, pattern: 'o', value: 'foo', repl: '0', want: 'f00' },
    { all: false, pattern: '*', value: 'ab\ncd', repl: 'X', want: 'X\ncd' },
    { all: true, pattern: '*', value: 'ab\ncd', repl: 'X', want: 'X\nX' },
    { all: false, pattern: '', value: 'ab', repl: '-', want: '-ab' },
    { all: true, pattern: '', value: 'ab', repl: '-', want: '-a-b-' },
    { all: true, pattern: 'x*', value: 'axxbx', repl: '-', want: 'a-' },
    // An empty match right after a match is not replaced.
    { all: true, pattern: '*', value: 'ab', repl: 'X', want: 'X' },
    { all: true, pattern: 'b*', value: 'abcb', repl: '.', want: 'a.' },
    { all: true, pattern: '?', value: '😀é', repl: '.', want: '..' },
    { all: false, pattern: 'z', value: 'abc', repl: '.', want: 'abc' },
    // replaceAll uses Go's ReplaceAllString: $0 is the match, $$ a dollar, other names empty.
    { all: true, pattern: 'o', value: 'foo', repl: '[$0]', want: 'f[o][o]' },
    { all: true, pattern: 'o', value: 'fo', repl: '$$ ${0} $1 $x $', want: 'f$ o   $' },
    { all: false, pattern: 'o', value: 'fo', repl: '$0', want: 'f$0' },
  ];
  for (const { all, pattern, value, repl, want } of table) {
    it(`\${v${all ? '//' : '/'}${pattern}/${repl}} of ${JSON.stringify(value)} → ${JSON.stringify(want)}`, () => {
      assert.equal((all ? replaceAll : replaceFirst)(pattern, value, repl), want);
    });
  }
});

describe('expandTemplate', () => {
  const table: [string, string][] = [
    ['plain', 'plain'],
    ['$0', 'M'],
    ['${0}x', 'Mx'],
    ['$0x', ''],
    ['$00', ''],
    ['${0', '${0'],
    ['${}', '${}'],
    ['$-', '$-'],
    ['a$$b', 'a$b'],
    ['end$', 'end$'],
  ];
  for (const [template, want] of table) {
    it(`${JSON.stringify(template)} → ${JSON.stringify(want)}`, () =>
      assert.equal(expandTemplate(template, 'M'), want));
  }
});
