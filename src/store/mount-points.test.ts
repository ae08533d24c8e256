import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unescapeMountPath } from './mount-points.ts';

describe('unescapeMountPath', () => {
  const cases: [string, string][] = [
    ['/plain/path', '/plain/path'],
    ['/with\\040space', '/with space'],
    ['/tab\\011and\\012newline', '/tab\tand\nnewline'],
    ['/back\\134slash', '/back\\slash'],
  ];
  for (const [raw, want] of cases) {
    it(`${raw} → ${JSON.stringify(want)}`, () => assert.equal(unescapeMountPath(raw), want));
  }
});
