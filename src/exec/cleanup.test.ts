import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pendingCleanups, registerCleanup, runCleanups } from './cleanup.ts';

test('cleanups run newest first, each once, failures collected, unregistered ones skipped', async () => {
  const order: string[] = [];
  registerCleanup(() => {
    order.push('a');
  });
  registerCleanup(async () => {
    order.push('b');
    throw new Error('b failed');
  });
  const unregister = registerCleanup(() => {
    order.push('never');
  });
  registerCleanup(() => {
    order.push('c');
  });
  unregister();
  assert.equal(pendingCleanups(), 3);
  const errors = await runCleanups();
  assert.deepEqual(order, ['c', 'b', 'a']);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]), /b failed/);
  assert.equal(pendingCleanups(), 0);
  assert.deepEqual(await runCleanups(), []);
  assert.deepEqual(order, ['c', 'b', 'a']);
});
