import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseChownSpec } from './resolve-chown.ts';

const cases: [string, ReturnType<typeof parseChownSpec>][] = [
  ['1000', { user: { id: 1000 } }],
  ['root', { user: { id: 0 } }],
  ['app', { user: { name: 'app' } }],
  ['app:staff', { user: { name: 'app' }, group: { name: 'staff' } }],
  ['10:20', { user: { id: 10 }, group: { id: 20 } }],
  ['root:root', { user: { id: 0 }, group: { id: 0 } }],
  [':5', { user: { name: '' }, group: { id: 5 } }],
  ['app:', { user: { name: 'app' }, group: { name: '' } }],
  ['a:b:c', { user: { name: 'a' }, group: { name: 'b:c' } }],
  ['99999999999', { user: { name: '99999999999' } }],
];

for (const [spec, want] of cases) {
  test(`--chown=${spec}`, () => assert.deepEqual(parseChownSpec(spec), want));
}
