import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { envsFromSlice } from './env-getter.ts';

describe('envsFromSlice', () => {
  const env = envsFromSlice(['A=1', 'B', 'C=x=y', 'A=2', 'D=', 'lower=l']);
  const table: [string, string | undefined][] = [
    ['A', '2'],
    ['B', ''],
    ['C', 'x=y'],
    ['D', ''],
    ['E', undefined],
    ['a', undefined],
    ['LOWER', undefined],
    ['lower', 'l'],
  ];
  for (const [name, want] of table) {
    it(`get(${name}) → ${JSON.stringify(want)}`, () => assert.equal(env.get(name), want));
  }
  it('keys() lists every entry in order, duplicates included, as BuildKit', () => {
    assert.deepEqual(env.keys(), ['A', 'B', 'C', 'A', 'D', 'lower']);
  });
  it('keys() returns a copy', () => {
    env.keys().push('Z');
    assert.equal(env.keys().length, 6);
  });
});
