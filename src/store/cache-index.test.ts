import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import { openStore } from './open-store.ts';
import { digestOf, testRoot } from './testing/put-test-image.ts';
import type { CacheRecord } from './types.ts';

const KEY = 'ab'.repeat(32);
const record: CacheRecord = {
  blobs: [digestOf('layer'), digestOf('config')],
  snapshots: [digestOf('chain')],
  data: { step: 'RUN make', env: ['A=1'], nested: { n: 1 } },
  createdAt: '2026-01-02T03:04:05Z',
};

describe('cache index', () => {
  it('round-trips a record, replaces it, deletes it', async () => {
    const store = await openStore(await testRoot());
    assert.equal(await store.cache.get(KEY), undefined);
    await store.cache.set(KEY, record);
    assert.deepEqual(await store.cache.get(KEY), record);
    const second: CacheRecord = { blobs: [], data: null, createdAt: '2026-01-03T00:00:00Z' };
    await store.cache.set(KEY, second);
    assert.deepEqual(await store.cache.get(KEY), second);
    assert.equal(await store.cache.delete(KEY), true);
    assert.equal(await store.cache.get(KEY), undefined);
    assert.equal(await store.cache.delete(KEY), false);
  });

  it('lists keys sorted', async () => {
    const store = await openStore(await testRoot());
    for (const k of ['ff'.repeat(32), '00'.repeat(8), KEY]) await store.cache.set(k, record);
    assert.deepEqual(await store.cache.keys(), ['00'.repeat(8), KEY, 'ff'.repeat(32)]);
  });

  for (const bad of ['', 'AB'.repeat(32), '../x', 'ab'.repeat(7), 'g'.repeat(64), 'a'.repeat(129)]) {
    it(`rejects the key ${JSON.stringify(bad.slice(0, 16))}`, async () => {
      const store = await openStore(await testRoot());
      await assert.rejects(store.cache.set(bad, record), /cache key must be/);
      await assert.rejects(store.cache.get(bad), /cache key must be/);
    });
  }

  it('rejects a record with an invalid digest', async () => {
    const store = await openStore(await testRoot());
    const bad = { ...record, blobs: ['sha256:zz' as Digest] };
    await assert.rejects(store.cache.set(KEY, bad), (e) => isGantryError(e, 'E_DIGEST_INVALID'));
  });

  it('a damaged record file is E_STORE_CORRUPT', async () => {
    const store = await openStore(await testRoot());
    await writeFile(join(store.root, 'cache', `${KEY}.json`), '{"blobs":["nope"],"createdAt":"x"}');
    await assert.rejects(store.cache.get(KEY), (e) => isGantryError(e, 'E_STORE_CORRUPT'));
  });
});
