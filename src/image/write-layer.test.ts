import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { isGantryError } from '../errors/gantry-error.ts';
import { MediaType } from '../oci/media-types.ts';
import type { BlobStore } from '../store/types.ts';
import type { LayerEntry } from './layer-entry.ts';
import { readTar } from './read-tar.ts';
import { fakeBlobStore } from './testing/fake-blob-store.ts';
import { writeLayer } from './write-layer.ts';

let dir: string;
let blobs: BlobStore;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-write-layer-'));
  blobs = await fakeBlobStore(join(dir, 'store'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const meta = { mode: 0o644, uid: 0, gid: 0, mtime: 2_000_000_000, size: 0 };
const sample: LayerEntry[] = [
  { ...meta, path: 'etc', type: 'dir', mode: 0o755 },
  { ...meta, path: 'etc/motd', type: 'whiteout' },
  { ...meta, path: 'etc/hosts', type: 'file', size: 3, content: Buffer.from('abc'), uid: 1000, gid: 1000 },
  { ...meta, path: 'var/cache', type: 'opaque', mode: 0o755 },
  { ...meta, path: 'bin/sh', type: 'symlink', linkname: 'busybox' },
];

test('diffID is the sha256 of the tar, digest and size those of the stored gzip blob', async () => {
  const layer = await writeLayer(sample, { blobs, compression: 'gzip' });
  const blob = await blobs.readBytes(layer.descriptor.digest);
  assert.equal(layer.descriptor.mediaType, MediaType.ociLayerGzip);
  assert.equal(layer.descriptor.digest, sha(blob));
  assert.equal(layer.descriptor.size, blob.length);
  assert.equal(layer.diffId, sha(gunzipSync(blob)));
});

test('uncompressed layers have digest == diffID', async () => {
  const layer = await writeLayer(sample, { blobs, compression: 'none' });
  assert.equal(layer.descriptor.digest, layer.diffId);
  assert.equal(layer.descriptor.mediaType, MediaType.ociLayer);
});

test('whiteouts and opaque markers are empty files; names, owners, mtimes clamped to sourceDateEpoch', async () => {
  const layer = await writeLayer(sample, { blobs, compression: 'gzip', sourceDateEpoch: 1_000 });
  const got = [];
  for await (const e of readTar([gunzipSync(await blobs.readBytes(layer.descriptor.digest))])) {
    got.push([
      e.header.name,
      e.header.typeflag,
      e.header.size,
      e.header.uid,
      e.header.mtime,
      e.header.linkname,
    ]);
  }
  assert.deepEqual(got, [
    ['etc/', '5', 0, 0, 1000, ''],
    ['etc/.wh.motd', '0', 0, 0, 1000, ''],
    ['etc/hosts', '0', 3, 1000, 1000, ''],
    ['var/cache/.wh..wh..opq', '0', 0, 0, 1000, ''],
    ['bin/sh', '2', 0, 0, 1000, 'busybox'],
  ]);
});

test('mtimes older than sourceDateEpoch are kept', async () => {
  const layer = await writeLayer([{ ...meta, path: 'old', type: 'file', mtime: 5 }], {
    blobs,
    compression: 'none',
    sourceDateEpoch: 1_000,
  });
  for await (const e of readTar([await blobs.readBytes(layer.descriptor.digest)]))
    assert.equal(e.header.mtime, 5);
});

test('the same entries give the same digests twice', async () => {
  const a = await writeLayer(sample, { blobs, compression: 'gzip', sourceDateEpoch: 1 });
  const b = await writeLayer(sample, { blobs, compression: 'gzip', sourceDateEpoch: 1 });
  assert.deepEqual(a, b);
});

test('a file that shrinks while archived fails with E_LAYER_SOURCE_CHANGED', async () => {
  const path = join(dir, 'shrinks');
  await writeFile(path, 'short');
  await assert.rejects(
    writeLayer([{ ...meta, path: 'f', type: 'file', size: 100, source: path }], {
      blobs,
      compression: 'gzip',
    }),
    (e) => isGantryError(e, 'E_LAYER_SOURCE_CHANGED'),
  );
});

for (const compression of ['none', 'gzip'] as const)
  test(`memory stays far below the size of a 200 MB layer (${compression})`, async () => {
    const path = join(dir, 'big');
    const size = 200 * 1024 * 1024;
    await writeFile(path, '');
    await truncate(path, size);
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const layer = await writeLayer([{ ...meta, path: 'big', type: 'file', size, source: path }], {
        blobs,
        compression,
        gzipLevel: 1,
      });
      peak = Math.max(peak, process.memoryUsage().rss);
      assert.equal(layer.descriptor.size < size, compression === 'gzip');
    } finally {
      clearInterval(timer);
    }
    assert.ok(peak - before < 80 * 1024 * 1024, `rss grew by ${Math.round((peak - before) / 1048576)} MB`);
  });
