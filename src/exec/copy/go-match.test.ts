import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGantryError } from '../../errors/gantry-error.ts';
import { containsWildcards, goMatch, splitWildcards } from './go-match.ts';

// Cases from Go's path.Match table (path/match_test.go).
const cases: [string, string, boolean | 'bad'][] = [
  ['abc', 'abc', true],
  ['*', 'abc', true],
  ['*c', 'abc', true],
  ['a*', 'a', true],
  ['a*', 'abc', true],
  ['a*', 'ab/c', false],
  ['a*/b', 'abc/b', true],
  ['a*/b', 'a/c/b', false],
  ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
  ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
  ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
  ['a*b?c*x', 'abxbbxdbxebxczzx', true],
  ['a*b?c*x', 'abxbbxdbxebxczzy', false],
  ['ab[c]', 'abc', true],
  ['ab[b-d]', 'abc', true],
  ['ab[e-g]', 'abc', false],
  ['ab[^c]', 'abc', false],
  ['ab[^b-d]', 'abc', false],
  ['ab[^e-g]', 'abc', true],
  ['a\\*b', 'a*b', true],
  ['a\\*b', 'ab', false],
  ['a?b', 'a☺b', true],
  ['a[^a]b', 'a☺b', true],
  ['a???b', 'a☺b', false],
  ['a[^a][^a][^a]b', 'a☺b', false],
  ['[a-ζ]*', 'α', true],
  ['*[a-ζ]', 'A', false],
  ['a?b', 'a/b', false],
  ['a*b', 'a/b', false],
  ['[\\]a]', ']', true],
  ['[\\-]', '-', true],
  ['[x\\-]', 'x', true],
  ['[x\\-]', '-', true],
  ['[x\\-]', 'z', false],
  ['[\\-x]', 'a', false],
  ['[]a]', ']', 'bad'],
  ['[-]', '-', 'bad'],
  ['[x-]', 'x', 'bad'],
  ['[-x]', 'x', 'bad'],
  ['\\', 'a', 'bad'],
  ['[a-b-c]', 'a', 'bad'],
  ['[', 'a', 'bad'],
  ['[^', 'a', 'bad'],
  ['[^bc', 'a', 'bad'],
  ['a[', 'a', 'bad'],
  ['*x', 'xxx', true],
  ['[^/]', '/', false],
  ['a[^x]b', 'a/b', true],
];

for (const [pattern, name, want] of cases) {
  test(`goMatch(${JSON.stringify(pattern)}, ${JSON.stringify(name)})`, () => {
    if (want === 'bad') {
      assert.throws(
        () => goMatch(pattern, name),
        (e) => isGantryError(e, 'E_COPY_BAD_PATTERN'),
      );
    } else assert.equal(goMatch(pattern, name), want);
  });
}

test('containsWildcards skips escaped characters', () => {
  assert.equal(containsWildcards('a/b'), false);
  assert.equal(containsWildcards('a/*.go'), true);
  assert.equal(containsWildcards('a\\*'), false);
  assert.equal(containsWildcards('x[ab]'), true);
});

test('splitWildcards splits at the first segment with a wildcard', () => {
  assert.deepEqual(splitWildcards('/a/b*/c'), ['/a', 'b*/c']);
  assert.deepEqual(splitWildcards('/*.go'), ['/', '*.go']);
  assert.deepEqual(splitWildcards('/a/b'), ['/a/b', '']);
});
