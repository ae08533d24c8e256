import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median } from './stats.ts';

test('median', () => {
  const table: [number[], number][] = [
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
    [[2, 2, 9], 2],
  ];
  for (const [input, want] of table) assert.equal(median(input), want, JSON.stringify(input));
  assert.throws(() => median([]), /empty/);
});
