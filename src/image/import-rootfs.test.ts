import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import type { ImageConfig, ImageManifest } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { importRootfs } from './import-rootfs.ts';
import { fakeBlobStore } from './testing/fake-blob-store.ts';

const isRoot = process.getuid?.() === 0;
const platform = { os: 'linux', architecture: 'arm64', variant: 'v8' };
let dir: string;
let blobs: BlobStore;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-import-'));
  blobs = await fakeBlobStore(join(dir, 'store'));
  await mkdir(join(dir, 'rootfs/bin'), { recursive: true });
  await writeFile(join(dir, 'rootfs/bin/app'), 'app', { mode: 0o755 });
  await symlink('app', join(dir, 'rootfs/bin/sh'));
  if (isRoot) await chown(join(dir, 'rootfs/bin/app'), 1000, 1000);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('makes a one-layer OCI image with the given config, platform and created time', async () => {
  const image = await importRootfs({
    source: join(dir, 'rootfs'),
    blobs,
    platform,
    config: { Cmd: ['/bin/sh'] },
    sourceDateEpoch: 10,
  });
  const manifest = JSON.parse((await blobs.readBytes(image.manifest.digest)).toString()) as ImageManifest;
  const config = JSON.parse((await blobs.readBytes(image.config.digest)).toString()) as ImageConfig;
  assert.equal(manifest.mediaType, 'application/vnd.oci.image.manifest.v1+json');
  assert.equal(manifest.layers.length, 1);
  assert.deepEqual(manifest.config, image.config);
  assert.deepEqual(config.rootfs.diff_ids, [image.diffId]);
  assert.equal(config.created, '1970-01-01T00:00:10Z');
  assert.deepEqual([config.architecture, config.variant], ['arm64', 'v8']);
  assert.deepEqual(config.config?.Cmd, ['/bin/sh']);
  assert.deepEqual(config.history, [{ created: '1970-01-01T00:00:10Z', created_by: 'gantry import' }]);
});

test('a tar.gz of a tree gives the same layer as the tree itself', {
  skip: !isRoot && 'ownership survives unpacking only as root',
}, async () => {
  execFileSync('tar', ['-C', join(dir, 'rootfs'), '-czf', join(dir, 'rootfs.tar.gz'), '.']);
  const fromDir = await importRootfs({ source: join(dir, 'rootfs'), blobs, platform, sourceDateEpoch: 0 });
  const fromTar = await importRootfs({
    source: join(dir, 'rootfs.tar.gz'),
    blobs,
    platform,
    sourceDateEpoch: 0,
  });
  assert.equal(fromTar.diffId, fromDir.diffId);
  assert.equal(fromTar.manifest.digest, fromDir.manifest.digest);
});

test('a missing source fails with E_IMPORT_SOURCE_MISSING', async () => {
  await assert.rejects(importRootfs({ source: join(dir, 'nope'), blobs, platform }), (e) =>
    isGantryError(e, 'E_IMPORT_SOURCE_MISSING'),
  );
});
