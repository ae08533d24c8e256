import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { isGantryError } from '../../src/errors/gantry-error.ts';
import { MediaType } from '../../src/oci/media-types.ts';
import { pullImage, pushImage, resolveImage } from '../../src/registry/index.ts';
import { makeImage, makeIndex, tarOneFile } from '../../src/registry/testing/make-image.ts';
import {
  haveProgram,
  openTestStore,
  type RegistryServer,
  registrySkipReason,
  startRegistry,
} from './fixtures/registry-server.ts';

const run = promisify(execFile);
const skip = registrySkipReason();
const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('registry round trips against docker-registry', { skip }, () => {
  let reg: RegistryServer;
  let work: string;
  before(async () => {
    reg = await startRegistry();
    work = await mkdtemp(join(tmpdir(), 'gantry-reg-e2e-'));
  });
  after(async () => {
    await reg?.close();
    await rm(work, { recursive: true, force: true });
  });
  const open = async (name: string) => openTestStore(await mkdtemp(join(work, `${name}-`)));
  const store = async (name: string) => (await open(name)).blobs;

  it('pushes an image and pulls it back byte for byte', async () => {
    const src = await store('src');
    const img = await makeImage(src, { layers: 3, layerBytes: 200_000 });
    const pushed = await pushImage({ ref: `${reg.host}/team/app:1`, blobs: src, manifest: img.manifest });
    assert.equal(pushed.digest, img.manifest.digest);
    assert.equal(pushed.uploaded, 4);
    const again = await pushImage({ ref: `${reg.host}/team/app:1`, blobs: src, manifest: img.manifest });
    assert.equal(again.existing, 4, 'second push finds every blob present');
    assert.equal(again.uploaded, 0);

    const target = await open('dst');
    const dst = target.blobs;
    const refs = target.refs;
    const pulled = await pullImage({
      ref: `${reg.host}/team/app:1`,
      blobs: dst,
      refs,
      platform: 'linux/amd64',
    });
    assert.equal(pulled.manifest.digest, img.manifest.digest);
    assert.equal(pulled.ref.digest, img.manifest.digest);
    assert.equal(
      pulled.downloadedBytes,
      img.layers.reduce((a, l) => a + l.size, 0),
    );
    for (const d of [img.manifest, img.config, ...img.layers]) {
      assert.deepEqual(await dst.readBytes(d.digest), await src.readBytes(d.digest), d.digest);
    }
    assert.equal((await refs.get(`${reg.host}/team/app:1`))?.digest, img.manifest.digest);
    assert.deepEqual(await target.problems(), []);
  });

  it('round-trips a Docker schema 2 image with its media types', async () => {
    const src = await store('src');
    const img = await makeImage(src, { layers: 1, docker: true });
    await pushImage({ ref: `${reg.host}/docker/app:1`, blobs: src, manifest: img.manifest });
    const dst = await store('dst');
    const pulled = await pullImage({ ref: `${reg.host}/docker/app:1`, blobs: dst, platform: 'linux/amd64' });
    assert.equal(pulled.manifest.mediaType, MediaType.dockerManifest);
    assert.equal(pulled.manifest.digest, img.manifest.digest);
    assert.equal(pulled.configDescriptor.mediaType, MediaType.dockerConfig);
    assert.equal(pulled.layers[0]?.mediaType, MediaType.dockerLayerGzip);
  });

  it('pulls by digest from the store without asking the registry again', async () => {
    const src = await store('src');
    const img = await makeImage(src, { layers: 1 });
    await pushImage({ ref: `${reg.host}/pin/app:1`, blobs: src, manifest: img.manifest });
    const dst = await store('dst');
    const first = await pullImage({
      ref: `${reg.host}/pin/app@${img.manifest.digest}`,
      blobs: dst,
      platform: 'linux/amd64',
    });
    assert.equal(first.manifest.digest, img.manifest.digest);
    // Re-tag the repository's tag elsewhere; the pinned pull must not notice.
    const other = await makeImage(src, { layers: 1 });
    await pushImage({ ref: `${reg.host}/pin/app:1`, blobs: src, manifest: other.manifest });
    let requests = 0;
    const counting = ((input: string | URL | Request, init?: RequestInit) => {
      if (String(input).includes('/manifests/')) requests++;
      return fetch(input, init);
    }) as typeof fetch;
    const second = await pullImage({
      ref: `${reg.host}/pin/app@${img.manifest.digest}`,
      blobs: dst,
      platform: 'linux/amd64',
      fetchImpl: counting,
    });
    assert.equal(second.manifest.digest, img.manifest.digest);
    assert.equal(second.downloadedBytes, 0);
    assert.equal(requests, 0);
  });

  it('uses chunked upload above the threshold and mounts across repositories', async () => {
    const src = await store('src');
    const img = await makeImage(src, { layers: 2, layerBytes: 300_000 });
    const big = await pushImage({
      ref: `${reg.host}/chunk/app:1`,
      blobs: src,
      manifest: img.manifest,
      chunkThreshold: 1000,
      chunkSize: 64 * 1024,
    });
    assert.equal(big.uploaded, 3);
    const mountFrom = Object.fromEntries([img.config, ...img.layers].map((d) => [d.digest, 'chunk/app']));
    const mounted = await pushImage({
      ref: `${reg.host}/other/app:1`,
      blobs: src,
      manifest: img.manifest,
      mountFrom,
    });
    assert.equal(mounted.mounted, 3);
    assert.equal(mounted.uploaded, 0);
    const dst = await store('dst');
    const pulled = await pullImage({ ref: `${reg.host}/other/app:1`, blobs: dst, platform: 'linux/amd64' });
    for (const l of img.layers)
      assert.deepEqual(await dst.readBytes(l.digest), await src.readBytes(l.digest));
    assert.equal(pulled.layers.length, 2);
  });

  it('pushes an index and pulls the requested platform from it', async () => {
    const src = await store('src');
    const amd = await makeImage(src, { layers: 1, platform: { os: 'linux', architecture: 'amd64' } });
    const arm = await makeImage(src, {
      layers: 1,
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    });
    const index = await makeIndex(src, [amd.manifest, arm.manifest]);
    await pushImage({ ref: `${reg.host}/multi/app:1`, blobs: src, manifest: index });
    const dst = await store('dst');
    const pulled = await pullImage({ ref: `${reg.host}/multi/app:1`, blobs: dst, platform: 'linux/arm64' });
    assert.equal(pulled.index?.digest, index.digest);
    assert.equal(pulled.manifest.digest, arm.manifest.digest);
    assert.equal(pulled.config.architecture, 'arm64');
    assert.equal(await dst.has(amd.layers[0]!.digest), false, 'other platforms are not downloaded');
    const resolved = await resolveImage({ ref: `${reg.host}/multi/app:1`, platform: 'linux/amd64' });
    assert.equal(resolved.manifest.digest, amd.manifest.digest);
    await assert.rejects(
      pullImage({ ref: `${reg.host}/multi/app:1`, blobs: dst, platform: 'linux/s390x' }),
      (e) => isGantryError(e, 'E_REGISTRY_PLATFORM'),
    );
  });

  it('a missing tag or repository is E_REGISTRY_NOT_FOUND naming the reference', async () => {
    const dst = await store('dst');
    await assert.rejects(pullImage({ ref: `${reg.host}/nope/app:1`, blobs: dst }), (e) => {
      assert.ok(isGantryError(e, 'E_REGISTRY_NOT_FOUND'));
      assert.match(e.message, new RegExp(`${reg.host}/nope/app:1`));
      return true;
    });
  });

  it('skopeo inspects an image gantry pushed', {
    skip: haveProgram('skopeo') ? false : 'skopeo not installed',
  }, async () => {
    const src = await store('src');
    const img = await makeImage(src, { layers: 2 });
    await pushImage({ ref: `${reg.host}/inspect/app:t`, blobs: src, manifest: img.manifest });
    const { stdout } = await run('skopeo', [
      'inspect',
      '--tls-verify=false',
      `docker://${reg.host}/inspect/app:t`,
    ]);
    const info = JSON.parse(stdout) as { Digest: string; Layers: string[]; Architecture: string; Os: string };
    assert.equal(info.Digest, img.manifest.digest);
    assert.deepEqual(
      info.Layers,
      img.layers.map((l) => l.digest),
    );
    assert.equal(info.Os, 'linux');
    assert.equal(info.Architecture, 'amd64');
  });

  it('pulls an image skopeo copied from a hand-written OCI layout', {
    skip: haveProgram('skopeo') ? false : 'skopeo not installed',
  }, async () => {
    const layout = join(work, 'layout');
    await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
    const put = async (b: Buffer) => {
      const d = sha(b);
      await writeFile(join(layout, 'blobs', 'sha256', d.slice(7)), b);
      return d;
    };
    const tar = tarOneFile('hello.txt', Buffer.from('hello from skopeo\n'));
    const layer = gzipSync(tar);
    const layerDigest = await put(layer);
    const config = Buffer.from(
      JSON.stringify({
        architecture: 'amd64',
        os: 'linux',
        rootfs: { type: 'layers', diff_ids: [sha(tar)] },
        config: {},
      }),
    );
    const configDigest = await put(config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        config: { mediaType: MediaType.ociConfig, digest: configDigest, size: config.length },
        layers: [{ mediaType: MediaType.ociLayerGzip, digest: layerDigest, size: layer.length }],
      }),
    );
    const manifestDigest = await put(manifest);
    await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(
      join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          {
            mediaType: MediaType.ociManifest,
            digest: manifestDigest,
            size: manifest.length,
            annotations: { 'org.opencontainers.image.ref.name': 't' },
          },
        ],
      }),
    );
    await run('skopeo', [
      'copy',
      '--dest-tls-verify=false',
      `oci:${layout}:t`,
      `docker://${reg.host}/fromskopeo/app:t`,
    ]);
    const dst = await store('dst');
    const pulled = await pullImage({
      ref: `${reg.host}/fromskopeo/app:t`,
      blobs: dst,
      platform: 'linux/amd64',
    });
    assert.equal(pulled.layers[0]?.digest, layerDigest);
    assert.deepEqual(await dst.readBytes(layerDigest as (typeof pulled.layers)[0]['digest']), layer);
    assert.deepEqual(pulled.config.rootfs.diff_ids, [sha(tar)]);
  });
});
