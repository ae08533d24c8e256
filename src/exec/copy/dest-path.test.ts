import assert from 'node:assert/strict';
import { test } from 'node:test';
import { confine, destPathFor } from './dest-path.ts';

const cases: [string, string, string, boolean][] = [
  ['/abs/', '/w', '/abs', true],
  ['/abs', '/w', '/abs', false],
  ['rel/', '/usr/src/app', '/usr/src/app/rel', true],
  ['rel', '/usr/src/app', '/usr/src/app/rel', false],
  ['.', '/var/www', '/var/www', true],
  ['', '/var/www', '/var/www', true],
  ['./', '/test1/test2', '/test1/test2', true],
  ['../', '/test5/test6', '/test5', true],
  ['./bar/baz', '/test1/test2', '/test1/test2/bar/baz', false],
  ['/', '/w', '/', true],
  ['x', '', '/x', false],
  ['/a/../../b', '/', '/b', false],
];

for (const [dest, workdir, path, isDirSyntax] of cases) {
  test(`dest ${JSON.stringify(dest)} in WORKDIR ${workdir} → ${path}${isDirSyntax ? '/' : ''}`, () => {
    assert.deepEqual(destPathFor(dest, workdir), { path, isDirSyntax });
  });
}

test('confine keeps sources inside the root', () => {
  assert.equal(confine('../x'), '/x');
  assert.equal(confine('/../../etc/passwd'), '/etc/passwd');
  assert.equal(confine('a/./b/../c/'), '/a/c');
  assert.equal(confine('.'), '/');
  assert.equal(confine(''), '/');
});
