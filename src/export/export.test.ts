import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import { type ImportedImage, importRootfs } from '../image/import-rootfs.ts';
import { fakeBlobStore } from '../image/testing/fake-blob-store.ts';
import { digestHex } from '../oci/digest.ts';
import type { ImageIndex } from '../oci/types.ts';
import type { BlobStore } from '../store/types.ts';
import { exportDockerArchive, splitTag } from './export-docker-archive.ts';
import { exportLocal } from './export-local.ts';
import { exportOciLayout } from './export-oci-layout.ts';

let dir: string;
let blobs: BlobStore;
let image: ImportedImage;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-export-'));
  blobs = await fakeBlobStore(join(dir, 'store'));
  await mkdir(join(dir, 'rootfs/bin'), { recursive: true });
  await writeFile(join(dir, 'rootfs/bin/hello'), 'hi\n', { mode: 0o755 });
  image = await importRootfs({
    source: join(dir, 'rootfs'),
    blobs,
    platform: { os: 'linux', architecture: 'amd64' },
    sourceDateEpoch: 0,
  });
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('splitTag', () => {
  const ok: [string, string, string][] = [
    ['app', 'app', 'latest'],
    ['app:1.0', 'app', '1.0'],
    ['localhost:5000/team/app', 'localhost:5000/team/app', 'latest'],
    ['localhost:5000/team/app:v2', 'localhost:5000/team/app', 'v2'],
  ];
  for (const [ref, name, tag] of ok) test(ref, () => assert.deepEqual(splitTag(ref), { name, tag }));
  for (const bad of ['app@sha256:abc', 'app:', ':x', 'app:-bad']) {
    test(`${bad} is refused`, () =>
      assert.throws(
        () => splitTag(bad),
        (e) => isGantryError(e, 'E_EXPORT_BAD_TAG'),
      ));
  }
});

describe('exportOciLayout', () => {
  test('writes oci-layout, index.json with the ref name, and every blob', async () => {
    const dest = join(dir, 'layout');
    await exportOciLayout({ blobs, manifest: image.manifest, dest, refName: 'v1' });
    const index = JSON.parse(await readFile(join(dest, 'index.json'), 'utf8')) as ImageIndex;
    assert.equal(index.manifests.length, 1);
    assert.equal(index.manifests[0]?.digest, image.manifest.digest);
    assert.equal(index.manifests[0]?.annotations?.['org.opencontainers.image.ref.name'], 'v1');
    assert.deepEqual(JSON.parse(await readFile(join(dest, 'oci-layout'), 'utf8')), {
      imageLayoutVersion: '1.0.0',
    });
    const files = (await readdir(join(dest, 'blobs/sha256'))).sort();
    assert.ok(files.includes(digestHex(image.manifest.digest)));
    assert.ok(files.includes(digestHex(image.config.digest)));
    assert.equal(files.length, 3);
  });

  test('adding a second ref keeps the first; re-exporting a ref replaces it', async () => {
    const dest = join(dir, 'layout2');
    await exportOciLayout({ blobs, manifest: image.manifest, dest, refName: 'a' });
    await exportOciLayout({ blobs, manifest: image.manifest, dest, refName: 'b' });
    await exportOciLayout({ blobs, manifest: image.manifest, dest, refName: 'a' });
    const index = JSON.parse(await readFile(join(dest, 'index.json'), 'utf8')) as ImageIndex;
    const refs = index.manifests.map((m) => m.annotations?.['org.opencontainers.image.ref.name']).sort();
    assert.deepEqual(refs, ['a', 'b']);
  });

  test('a tar holds the same layout', async () => {
    const destTar = join(dir, 'layout.tar');
    await exportOciLayout({ blobs, manifest: image.manifest, destTar, refName: 'v1' });
    const names = execFileSync('tar', ['-tf', destTar]).toString().trim().split('\n');
    assert.deepEqual(names.slice(0, 4), ['oci-layout', 'index.json', 'blobs/', 'blobs/sha256/']);
    assert.ok(names.includes(`blobs/sha256/${digestHex(image.manifest.digest)}`));
  });

  test('a missing blob fails with E_EXPORT_BLOB_MISSING and writes no tar', async () => {
    const empty = await fakeBlobStore(join(dir, 'store-partial'));
    await empty.putBytes(await blobs.readBytes(image.manifest.digest));
    await empty.putBytes(await blobs.readBytes(image.config.digest));
    const destTar = join(dir, 'partial.tar');
    await assert.rejects(exportOciLayout({ blobs: empty, manifest: image.manifest, destTar }), (e) =>
      isGantryError(e, 'E_EXPORT_BLOB_MISSING'),
    );
    assert.deepEqual(
      (await readdir(dir)).filter((f) => f.startsWith('partial')),
      [],
    );
  });
});

describe('exportDockerArchive', () => {
  test('manifest.json points at config and layers inside the tar; repositories names the tags', async () => {
    const dest = join(dir, 'docker.tar');
    await exportDockerArchive({ blobs, manifest: image.manifest, tags: ['example.com/app:1', 'app'], dest });
    const read = (name: string) => JSON.parse(execFileSync('tar', ['-xOf', dest, name]).toString());
    const [entry] = read('manifest.json') as { Config: string; RepoTags: string[]; Layers: string[] }[];
    assert.ok(entry);
    assert.deepEqual(entry.RepoTags, ['example.com/app:1', 'app:latest']);
    assert.equal(entry.Config, `blobs/sha256/${digestHex(image.config.digest)}`);
    const names = execFileSync('tar', ['-tf', dest]).toString().split('\n');
    for (const p of [entry.Config, ...entry.Layers]) assert.ok(names.includes(p), p);
    assert.deepEqual(Object.keys(read('repositories')).sort(), ['app', 'example.com/app']);
  });
});

describe('exportLocal', () => {
  test('unpacks the image file system', async () => {
    const dest = join(dir, 'local');
    const { warnings } = await exportLocal({ blobs, manifest: image.manifest, dest });
    assert.deepEqual(warnings, []);
    assert.equal(await readFile(join(dest, 'bin/hello'), 'utf8'), 'hi\n');
  });
});
