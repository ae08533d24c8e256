import assert from 'node:assert/strict';
import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import { MediaType } from '../oci/media-types.ts';
import type { Descriptor } from '../oci/types.ts';
import { openStore } from './open-store.ts';
import { refFileStem } from './ref-store.ts';
import { digestOf, testRoot } from './testing/put-test-image.ts';

const desc = (text: string): Descriptor => ({
  mediaType: MediaType.ociManifest,
  digest: digestOf(text),
  size: text.length,
});

describe('ref store', () => {
  it('setting a name to the descriptor it has writes nothing (works with tmp/ gone)', async () => {
    const store = await openStore(await testRoot());
    await store.refs.set('docker.io/library/app:1', desc('a'));
    await rm(join(store.root, 'tmp'), { recursive: true });
    await store.refs.set('docker.io/library/app:1', desc('a'));
    assert.deepEqual(await store.refs.get('docker.io/library/app:1'), desc('a'));
    await assert.rejects(store.refs.set('docker.io/library/app:1', desc('b')));
  });

  it('sets, gets, overwrites, lists sorted by name, deletes', async () => {
    const store = await openStore(await testRoot());
    assert.equal(await store.refs.get('docker.io/library/app:1'), undefined);
    await store.refs.set('docker.io/library/app:1', desc('a'));
    await store.refs.set('docker.io/library/alpine:3', { ...desc('b'), annotations: { k: 'v' } });
    await store.refs.set('localhost:5000/x@sha256:' + 'f'.repeat(64), desc('c'));
    assert.deepEqual(await store.refs.get('docker.io/library/app:1'), desc('a'));
    await store.refs.set('docker.io/library/app:1', desc('d'));
    assert.deepEqual(await store.refs.get('docker.io/library/app:1'), desc('d'));
    assert.deepEqual(
      (await store.refs.list()).map((r) => [r.name, r.descriptor.digest]),
      [
        ['docker.io/library/alpine:3', digestOf('b')],
        ['docker.io/library/app:1', digestOf('d')],
        ['localhost:5000/x@sha256:' + 'f'.repeat(64), digestOf('c')],
      ],
    );
    assert.equal(await store.refs.delete('docker.io/library/app:1'), true);
    assert.equal(await store.refs.delete('docker.io/library/app:1'), false);
    assert.equal(await store.refs.get('docker.io/library/app:1'), undefined);
    assert.equal((await store.refs.list()).length, 2);
    assert.deepEqual(await readdir(join(store.root, 'tmp')), []);
  });

  it('one file per name, named by the hash of the name', async () => {
    const store = await openStore(await testRoot());
    await store.refs.set('a/b:c', desc('a'));
    assert.deepEqual(await readdir(join(store.root, 'refs')), [`${refFileStem('a/b:c')}.json`]);
  });

  for (const bad of ['', 'has space:1', 'tab\there', 'nl\n', 'x'.repeat(1025)]) {
    it(`rejects the name ${JSON.stringify(bad.slice(0, 20))}`, async () => {
      const store = await openStore(await testRoot());
      await assert.rejects(store.refs.set(bad, desc('a')), (e) => isGantryError(e, 'E_REF_NAME_INVALID'));
      await assert.rejects(store.refs.get(bad), (e) => isGantryError(e, 'E_REF_NAME_INVALID'));
    });
  }

  it('rejects a descriptor with an invalid digest', async () => {
    const store = await openStore(await testRoot());
    const bad = { ...desc('a'), digest: 'sha256:nope' as Digest };
    await assert.rejects(store.refs.set('a:1', bad), (e) => isGantryError(e, 'E_DIGEST_INVALID'));
    assert.equal(await store.refs.get('a:1'), undefined);
  });

  it('a damaged ref file is E_STORE_CORRUPT for get and list, naming the file', async () => {
    const store = await openStore(await testRoot());
    await store.refs.set('a:1', desc('a'));
    const file = join(store.root, 'refs', `${refFileStem('a:1')}.json`);
    await writeFile(file, '{"name":"a:1","descriptor":{"digest":"x"');
    await assert.rejects(
      store.refs.get('a:1'),
      (e) => isGantryError(e, 'E_STORE_CORRUPT') && e.message.includes(file),
    );
    await assert.rejects(
      store.refs.list(),
      (e) => isGantryError(e, 'E_STORE_CORRUPT') && e.message.includes(file),
    );
  });
});
