import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportDockerArchive } from '../../src/export/export-docker-archive.ts';
import { exportLocal } from '../../src/export/export-local.ts';
import { exportOciLayout } from '../../src/export/export-oci-layout.ts';
import { type ImportedImage, importRootfs } from '../../src/image/import-rootfs.ts';
import { fakeBlobStore } from '../../src/image/testing/fake-blob-store.ts';
import type { BlobStore } from '../../src/store/types.ts';

const has = (tool: string, arg = '--version') => spawnSync(tool, [arg], { stdio: 'ignore' }).status === 0;
const BUSYBOX = '/bin/busybox';
const skip = !has('skopeo')
  ? 'skopeo is not installed (apt-get install skopeo)'
  : !has(BUSYBOX, '--help')
    ? 'busybox is not installed (apt-get install busybox-static)'
    : false;

let dir: string;
let blobs: BlobStore;
let image: ImportedImage;

function skopeo(...args: string[]): string {
  return execFileSync('skopeo', ['--insecure-policy', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

describe('exports read by skopeo', { skip }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-export-'));
    blobs = await fakeBlobStore(join(dir, 'store'));
    // A busybox rootfs packed as a tar.gz, imported the way `gantry import` makes base images.
    await mkdir(join(dir, 'rootfs/bin'), { recursive: true });
    await copyFile(BUSYBOX, join(dir, 'rootfs/bin/busybox'));
    execFileSync('ln', ['-s', 'busybox', join(dir, 'rootfs/bin/sh')]);
    execFileSync('tar', ['-C', join(dir, 'rootfs'), '-czf', join(dir, 'rootfs.tar.gz'), '.']);
    image = await importRootfs({
      source: join(dir, 'rootfs.tar.gz'),
      blobs,
      platform: { os: 'linux', architecture: 'amd64' },
      config: { Cmd: ['/bin/sh'], Env: ['PATH=/bin'] },
      sourceDateEpoch: 0,
    });
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  test('skopeo inspect and copy an OCI layout directory', async () => {
    const layout = join(dir, 'oci');
    await exportOciLayout({ blobs, manifest: image.manifest, dest: layout, refName: 'busybox' });
    const info = JSON.parse(skopeo('inspect', `oci:${layout}:busybox`)) as {
      Digest: string;
      Env: string[];
      Layers: string[];
    };
    assert.equal(info.Digest, image.manifest.digest);
    assert.deepEqual(info.Env, ['PATH=/bin']);
    assert.equal(info.Layers.length, 1);
    skopeo('copy', `oci:${layout}:busybox`, `oci:${join(dir, 'copy-oci')}:copied`);
    const config = JSON.parse(skopeo('inspect', '--config', `oci:${join(dir, 'copy-oci')}:copied`)) as {
      rootfs: { diff_ids: string[] };
    };
    assert.deepEqual(config.rootfs.diff_ids, [image.diffId]);
  });

  test('skopeo inspect and copy an OCI layout tar', async () => {
    const tar = join(dir, 'oci.tar');
    await exportOciLayout({ blobs, manifest: image.manifest, destTar: tar, refName: 'busybox' });
    const info = JSON.parse(skopeo('inspect', `oci-archive:${tar}:busybox`)) as { Digest: string };
    assert.equal(info.Digest, image.manifest.digest);
  });

  test('skopeo inspect and copy a docker-archive', async () => {
    const tar = join(dir, 'docker.tar');
    await exportDockerArchive({
      blobs,
      manifest: image.manifest,
      tags: ['gantry.test/busybox:1'],
      dest: tar,
    });
    const info = JSON.parse(skopeo('inspect', `docker-archive:${tar}`)) as {
      RepoTags: string[];
      Env: string[];
    };
    assert.deepEqual(info.Env, ['PATH=/bin']);
    const byTag = JSON.parse(skopeo('inspect', `docker-archive:${tar}:gantry.test/busybox:1`)) as {
      Env: string[];
    };
    assert.deepEqual(byTag.Env, ['PATH=/bin']);
    const copy = join(dir, 'copy-docker');
    skopeo('copy', `docker-archive:${tar}`, `oci:${copy}:fromdocker`);
    const config = JSON.parse(skopeo('inspect', '--config', `oci:${copy}:fromdocker`)) as {
      rootfs: { diff_ids: string[] };
    };
    assert.deepEqual(config.rootfs.diff_ids, [image.diffId]);
  });

  test('exportLocal gives a runnable busybox tree', async () => {
    const dest = join(dir, 'local');
    await exportLocal({ blobs, manifest: image.manifest, dest });
    assert.deepEqual(await readFile(join(dest, 'bin/busybox')), await readFile(BUSYBOX));
    const out = execFileSync(join(dest, 'bin/sh'), ['-c', 'echo ok']).toString();
    assert.equal(out, 'ok\n');
  });
});
