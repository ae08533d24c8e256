import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkGlobSyntax } from './check-glob-syntax.ts';

describe('checkGlobSyntax (filepath.Match syntax)', () => {
  const valid = [
    '',
    'a',
    '*',
    '**/x',
    'a?c',
    '[abc]',
    '[^a-z]',
    '[a-z0-9]',
    '[\\]]',
    '[\\-]',
    '[z-a]',
    '[*]',
    '[[]',
    ']',
    'a]b',
    '\\*',
    '\\\\',
    '[é-ü]',
    'x[a]*[b]',
  ];
  const invalid = [
    '[',
    'a[',
    '[]',
    '[^]',
    '[a',
    '[^a',
    '[-]',
    '[a-]',
    '[-a]',
    '[a-b-c]',
    '\\',
    'a\\',
    '[\\',
    '[a\\]',
    'ok*[',
    '*[]x',
  ];
  for (const p of valid) it(`accepts ${JSON.stringify(p)}`, () => assert.equal(checkGlobSyntax(p), true));
  for (const p of invalid) it(`rejects ${JSON.stringify(p)}`, () => assert.equal(checkGlobSyntax(p), false));
});
