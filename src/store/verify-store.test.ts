import assert from 'node:assert/strict';
import { chmod, mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MediaType } from '../oci/media-types.ts';
import { openStore } from './open-store.ts';
import { digestOf, putJson, putTestImage, testRoot } from './testing/put-test-image.ts';
import type { Store, StoreProblem } from './types.ts';
import { verifyStore } from './verify-store.ts';

async function imageStore(): Promise<{ store: Store; image: Awaited<ReturnType<typeof putTestImage>> }> {
  const store = await openStore(await testRoot());
  const image = await putTestImage(store.blobs, ['one', 'two']);
  await store.refs.set('example.com/app:1', image.index);
  return { store, image };
}

const kinds = (problems: StoreProblem[]): string[] => problems.map((p) => p.kind);

describe('verifyStore', () => {
  it('a healthy store has no problems', async () => {
    const { store } = await imageStore();
    await store.cache.set('ab'.repeat(32), { blobs: [digestOf('one')], data: 1, createdAt: 'now' });
    const result = await verifyStore(store);
    assert.deepEqual(result.problems, []);
    assert.equal(result.checkedBlobs, 5);
  });

  it('an index whose other platforms were not pulled is fine', async () => {
    const { store, image } = await imageStore();
    const absent = { mediaType: MediaType.ociManifest, digest: digestOf('arm64 manifest'), size: 10 };
    const index = await putJson(store.blobs, MediaType.ociIndex, {
      schemaVersion: 2,
      manifests: [image.manifest, absent],
    });
    await store.refs.set('example.com/app:multi', index);
    assert.deepEqual((await verifyStore(store)).problems, []);
  });

  it('finds a blob whose content does not match its name', async () => {
    const { store, image } = await imageStore();
    const path = store.blobs.path(image.layers[0]!.digest);
    await chmod(path, 0o644);
    await writeFile(path, 'onf');
    const { problems } = await verifyStore(store);
    assert.deepEqual(kinds(problems), ['blob-corrupt']);
    assert.equal(problems[0]!.path, path);
  });

  it('finds a missing layer and a missing config, naming the ref', async () => {
    const { store, image } = await imageStore();
    await unlink(store.blobs.path(image.layers[1]!.digest));
    await unlink(store.blobs.path(image.config.digest));
    const { problems } = await verifyStore(store);
    assert.deepEqual(kinds(problems).sort(), ['missing-blob', 'missing-blob']);
    assert.ok(problems.every((p) => p.message.includes('ref example.com/app:1')));
  });

  it('finds a ref to an absent manifest, and a cache record with an absent blob', async () => {
    const store = await openStore(await testRoot());
    await store.refs.set('gone:1', { mediaType: MediaType.ociManifest, digest: digestOf('x'), size: 1 });
    await store.cache.set('ab'.repeat(32), { blobs: [digestOf('y')], data: null, createdAt: 'now' });
    const { problems } = await verifyStore(store);
    assert.deepEqual(kinds(problems), ['missing-blob', 'missing-blob']);
    assert.deepEqual(
      problems.map((p) => p.path).sort(),
      [store.blobs.path(digestOf('x')), store.blobs.path(digestOf('y'))].sort(),
    );
  });

  it('finds size mismatches, unparseable manifests and configs', async () => {
    const store = await openStore(await testRoot());
    const notJson = await store.blobs.putBytes(Buffer.from('not json'));
    await store.refs.set('bad:manifest', {
      mediaType: MediaType.ociManifest,
      digest: notJson.digest,
      size: notJson.size,
    });
    await store.refs.set('bad:size', { mediaType: MediaType.ociLayer, digest: notJson.digest, size: 99 });
    const config = await putJson(store.blobs, MediaType.ociConfig, { rootfs: { diff_ids: ['nope'] } });
    const manifest = await putJson(store.blobs, MediaType.ociManifest, {
      schemaVersion: 2,
      config,
      layers: [],
    });
    await store.refs.set('bad:config', manifest);
    const { problems } = await verifyStore(store);
    assert.deepEqual(kinds(problems).sort(), ['bad-config', 'bad-manifest', 'size-mismatch']);
  });

  it('finds damaged ref and cache files and stray files', async () => {
    const { store } = await imageStore();
    await writeFile(join(store.root, 'refs', `${'1'.repeat(64)}.json`), '{');
    await writeFile(join(store.root, 'refs', 'notes.txt'), '');
    await writeFile(join(store.root, 'cache', `${'ab'.repeat(32)}.json`), '[]');
    await writeFile(join(store.root, 'blobs', 'sha256', 'partial'), '');
    await mkdir(join(store.root, 'snapshots', 'junk'));
    const { problems } = await verifyStore(store);
    assert.deepEqual(kinds(problems).sort(), [
      'cache-corrupt',
      'ref-corrupt',
      'ref-corrupt',
      'stray-file',
      'stray-file',
    ]);
  });
});
