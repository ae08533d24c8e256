import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../../errors/index.ts';
import { readIgnoreFile } from './read-ignore-file.ts';

describe('readIgnoreFile', () => {
  const table: [name: string, text: string | null, expected: string[]][] = [
    ['no file', null, []],
    ['empty file', '', []],
    ['one pattern, no newline', 'node_modules', ['node_modules']],
    ['CRLF line ends', 'a\r\nb\r\n', ['a', 'b']],
    ['only one CR is dropped', 'a\r\r\n', ['a']],
    ['BOM on the first line is dropped', '\ufeffdist\n', ['dist']],
    ['BOM on a later line is kept, then not trimmed', 'a\n\ufeffb', ['a', '\ufeffb']],
    ['comment lines', '# comment\n#\nkeep', ['keep']],
    ['an indented # is a pattern, not a comment', '  # not a comment', ['# not a comment']],
    ['blank and whitespace-only lines', '\n  \n\t\n', []],
    ['trailing and leading spaces', '  *.log  ', ['*.log']],
    ['leading slash removed', '/build', ['build']],
    ['only one leading slash removed after cleaning', '//a//b/', ['a/b']],
    ['root alone stays', '/', ['/']],
    ['dot path cleaned', './src/../lib/', ['lib']],
    ['dot-dot kept when leading', '../x', ['../x']],
    ['exception with space and absolute path', '! /a/b', ['!a/b']],
    ['lone ! kept for the matcher to reject', '!\n!  ', ['!', '!']],
    ['exception of root', '!/', ['!/']],
    ['NEL (U+0085) is Go white space', '\u0085a\u0085', ['a']],
    ['U+FEFF inside a line is not white space for Go', 'a\ufeff', ['a\ufeff']],
    ['no empty final line', 'a\n', ['a']],
    ['wildcards untouched by cleaning', '**/*.go\n!**/keep.go', ['**/*.go', '!**/keep.go']],
  ];
  for (const [name, text, expected] of table) {
    it(name, () => assert.deepEqual(readIgnoreFile(text), expected));
  }

  it('accepts a 65,535-byte line and rejects a 65,536-byte one (bufio.Scanner limit)', () => {
    assert.equal(readIgnoreFile('x'.repeat(65535) + '\n')[0]!.length, 65535);
    assert.throws(
      () => readIgnoreFile('ok\n' + 'x'.repeat(65536)),
      (e: unknown) => isGantryError(e, 'E_IGNORE_LINE_TOO_LONG') && e.message.includes('line 2'),
    );
    // the CR and a first-line BOM count
    assert.throws(
      () => readIgnoreFile('x'.repeat(65535) + '\r\n'),
      (e: unknown) => isGantryError(e),
    );
    assert.throws(
      () => readIgnoreFile('\ufeff' + 'x'.repeat(65533)),
      (e: unknown) => isGantryError(e),
    );
  });
});
