import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseXattrLine, readXattrs, unquoteGetfattr } from './read-xattrs.ts';
import { quoteForSetfattr } from './restore-xattrs.ts';

describe('getfattr output parsing', () => {
  const lines: [string, string, Buffer][] = [
    ['user.test=0sMQ==', 'user.test', Buffer.from('1')],
    ['user.empty=0s', 'user.empty', Buffer.alloc(0)],
    ['user.hex=0x00ff', 'user.hex', Buffer.from([0, 255])],
    ['user.text="a b"', 'user.text', Buffer.from('a b')],
    ['user.eq\\075sign=0sMQ==', 'user.eq=sign', Buffer.from('1')],
  ];
  for (const [line, name, value] of lines) {
    test(line, () => assert.deepEqual(parseXattrLine(line), [name, value]));
  }
  test('unquotes octal escapes and leaves other backslashes', () => {
    assert.equal(unquoteGetfattr('a\\012b\\134c\\d').toString(), 'a\nb\\c\\d');
  });
  test('setfattr quoting round-trips through getfattr unquoting', () => {
    const name = Buffer.from('we ird\n=\\ü name');
    assert.deepEqual(unquoteGetfattr(quoteForSetfattr(name)), name);
  });
});

test('readXattrs reads a tree with one getfattr, relative paths, odd names, skip filter', async () => {
  const root = await mkdtemp(join(tmpdir(), 'gantry-xattr-'));
  try {
    const odd = 'odd name\nwith=newline';
    await mkdir(join(root, 'd'));
    await writeFile(join(root, 'd', odd), '');
    await writeFile(join(root, 'plain'), '');
    execFileSync('setfattr', ['-n', 'user.a', '-v', '1', join(root, 'd', odd)]);
    execFileSync('setfattr', ['-n', 'user.b', '-v', '0x00ff', join(root, 'd')]);
    execFileSync('setfattr', ['-n', 'user.skipme', '-v', '2', join(root, 'd')]);
    execFileSync('setfattr', ['-n', 'user.root', '-v', '3', root]);
    const map = await readXattrs(root, (n) => n === 'user.skipme');
    assert.deepEqual(map.get(`d/${odd}`), { 'user.a': Buffer.from('1') });
    assert.deepEqual(map.get('d'), { 'user.b': Buffer.from([0, 255]) });
    assert.deepEqual(map.get(''), { 'user.root': Buffer.from('3') });
    assert.equal(map.has('plain'), false);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
