import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanPath, dirPath } from './clean-path.ts';

describe('cleanPath (Go filepath.Clean)', () => {
  const table: [string, string][] = [
    ['', '.'],
    ['.', '.'],
    ['/', '/'],
    ['//', '/'],
    ['a/', 'a'],
    ['a//b', 'a/b'],
    ['./a/./b/.', 'a/b'],
    ['a/../b', 'b'],
    ['a/..', '.'],
    ['..', '..'],
    ['../../a', '../../a'],
    ['a/../../b', '../b'],
    ['/../a', '/a'],
    ['/a/b/../../..', '/'],
    ['!docs/../x', 'x'],
    ['**/', '**'],
  ];
  for (const [input, expected] of table) {
    it(JSON.stringify(input), () => assert.equal(cleanPath(input), expected));
  }
});

describe('dirPath (Go filepath.Dir)', () => {
  const table: [string, string][] = [
    ['file', '.'],
    ['a/b', 'a'],
    ['a/b/', 'a/b'],
    ['/', '/'],
    ['/a', '/'],
    ['a//b', 'a'],
    ['', '.'],
  ];
  for (const [input, expected] of table) {
    it(JSON.stringify(input), () => assert.equal(dirPath(input), expected));
  }
});
