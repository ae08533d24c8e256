import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rfc3339 } from './time.ts';

test('times are written as Go writes them in image configs', () => {
  assert.equal(rfc3339(new Date(1_700_000_000_000)), '2023-11-14T22:13:20Z');
  assert.equal(rfc3339(new Date(1_700_000_000_120)), '2023-11-14T22:13:20.12Z');
  assert.equal(rfc3339(new Date(1_700_000_000_001)), '2023-11-14T22:13:20.001Z');
  assert.equal(rfc3339(new Date(0)), '1970-01-01T00:00:00Z');
});
