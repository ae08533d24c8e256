import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidImageReference } from './image-reference.ts';

describe('isValidImageReference', () => {
  const table: [string, boolean][] = [
    ['scratch', true],
    ['busybox:1.36', true],
    ['library/alpine@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', true],
    ['localhost:5000/team/app:v1', true],
    ['Registry.Example.com/app', true],
    ['[::1]:5000/app', true],
    ['', false],
    ['busybox:', false],
    ['Busybox', false],
    ['team/App', false],
    ['a b', false],
    ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', false],
  ];
  for (const [s, want] of table) it(JSON.stringify(s), () => assert.equal(isValidImageReference(s), want));
});
