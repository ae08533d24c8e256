import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { MediaType } from '../oci/media-types.ts';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/types.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/types.ts';
import { canonicalJsonBytes } from './canonical-json.ts';
import { compressImage } from './compress-image.ts';
import { buildImageConfig } from './image-config.ts';
import type { LayerEntry } from './layer-entry.ts';
import { putImage } from './put-image.ts';
import { UNCOMPRESSED_SIZE_ANNOTATION, writeLayer } from './write-layer.ts';

function file(path: string, content: Buffer): LayerEntry {
  return { path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtime: 0, size: content.length, content };
}

async function withStore(fn: (store: Store) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gantry-compress-'));
  try {
    await fn(await openStore(dir));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An image of one gzip layer (as pulled) under one plain-tar layer (as gantry builds them). */
async function twoLayerImage(store: Store) {
  const base = await writeLayer([file('base', Buffer.from('base\n'))], {
    blobs: store.blobs,
    compression: 'gzip',
  });
  // 9 MiB: more than two gzip members, half of it compressible.
  const big = Buffer.concat([randomBytes(5 << 20), Buffer.alloc(4 << 20, 'a')]);
  const top = await writeLayer([file('app/big', big), file('app/small', Buffer.from('x'))], {
    blobs: store.blobs,
    compression: 'none',
  });
  const config = buildImageConfig({
    platform: { os: 'linux', architecture: 'amd64' },
    diffIds: [base.diffId, top.diffId],
    config: {},
    created: '2026-01-01T00:00:00Z',
  });
  const image = await putImage({ blobs: store.blobs, config, layers: [base.descriptor, top.descriptor] });
  return { base, top, image };
}

async function manifestOf(store: Store, d: Descriptor): Promise<ImageManifest> {
  return JSON.parse((await store.blobs.readBytes(d.digest)).toString('utf8')) as ImageManifest;
}

test('plain-tar layers become gzip; gzip layers, the config and so the image ID stay', async () => {
  await withStore(async (store) => {
    const { base, top, image } = await twoLayerImage(store);
    assert.equal(top.descriptor.mediaType, MediaType.ociLayer);
    assert.equal(top.diffId, top.descriptor.digest, 'an uncompressed layer is its own diffID');

    const out = await compressImage(store, image.manifest);
    assert.notEqual(out.digest, image.manifest.digest);
    assert.equal(out.mediaType, MediaType.ociManifest);
    const m = await manifestOf(store, out);
    assert.deepEqual(m.config, image.config);
    assert.deepEqual(m.layers[0], base.descriptor);
    const gz = m.layers[1]!;
    assert.equal(gz.mediaType, MediaType.ociLayerGzip);
    assert.equal(gz.annotations?.[UNCOMPRESSED_SIZE_ANNOTATION], String(top.uncompressedSize));
    const blob = await store.blobs.readBytes(gz.digest);
    assert.equal(blob.length, gz.size);
    assert.ok(gz.size < top.descriptor.size, 'the compressible half shrinks');
    assert.deepEqual(gunzipSync(blob), await store.blobs.readBytes(top.descriptor.digest));
  });
});

test('the gzip form is remembered: a second call compresses nothing and gives the same manifest', async () => {
  await withStore(async (store) => {
    const { image } = await twoLayerImage(store);
    const first = await compressImage(store, image.manifest);
    let puts = 0;
    const counting = {
      ...store.blobs,
      put: (...a: Parameters<Store['blobs']['put']>) => {
        puts++;
        return store.blobs.put(...a);
      },
    };
    const second = await compressImage({ blobs: counting, cache: store.cache }, image.manifest);
    assert.deepEqual(second, first);
    assert.equal(puts, 0, 'no layer was compressed again');

    // When the remembered gzip blob is gone (pruned), it is made again, byte for byte the same.
    const gz = (await manifestOf(store, first)).layers[1]!;
    await unlink(store.blobs.path(gz.digest));
    const third = await compressImage({ blobs: counting, cache: store.cache }, image.manifest);
    assert.deepEqual(third, first);
    assert.equal(puts, 1);
    assert.equal((await store.blobs.stat(gz.digest))?.size, gz.size);
  });
});

test('an image with no plain-tar layer is returned as it is', async () => {
  await withStore(async (store) => {
    const layer = await writeLayer([file('a', Buffer.from('a'))], {
      blobs: store.blobs,
      compression: 'gzip',
    });
    const config = buildImageConfig({
      platform: { os: 'linux', architecture: 'amd64' },
      diffIds: [layer.diffId],
      config: {},
      created: '2026-01-01T00:00:00Z',
    });
    const image = await putImage({ blobs: store.blobs, config, layers: [layer.descriptor] });
    assert.equal(await compressImage(store, image.manifest), image.manifest);
  });
});

test('an index gets a new index whose manifests are compressed, platforms kept', async () => {
  await withStore(async (store) => {
    const { image } = await twoLayerImage(store);
    const platform = { os: 'linux', architecture: 'amd64' };
    const indexDoc: ImageIndex = {
      schemaVersion: 2,
      mediaType: MediaType.ociIndex,
      manifests: [{ ...image.manifest, platform }],
    };
    const info = await store.blobs.putBytes(canonicalJsonBytes(indexDoc));
    const index: Descriptor = { mediaType: MediaType.ociIndex, digest: info.digest, size: info.size };
    const out = await compressImage(store, index);
    assert.notEqual(out.digest, index.digest);
    const doc = JSON.parse((await store.blobs.readBytes(out.digest)).toString('utf8')) as ImageIndex;
    const child = doc.manifests[0]!;
    assert.deepEqual(child.platform, platform);
    assert.equal(child.digest, (await compressImage(store, image.manifest)).digest);
  });
});

test('a stored plain-tar layer that no longer matches its digest is refused, naming it', async () => {
  await withStore(async (store) => {
    const { top, image } = await twoLayerImage(store);
    const path = store.blobs.path(top.descriptor.digest);
    await chmod(path, 0o644);
    await writeFile(path, Buffer.alloc(top.descriptor.size, 'z'));
    await assert.rejects(compressImage(store, image.manifest), (e: Error & { code?: string }) => {
      assert.equal(e.code, 'E_LAYER_BLOB_CHANGED');
      assert.match(e.message, new RegExp(top.descriptor.digest));
      return true;
    });
  });
});
