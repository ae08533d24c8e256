/**
 * Registries in builds (issue 4): FROM and COPY --from an image that is only in a registry are
 * pulled; `--push` sends the result; an independent client (skopeo) reads what was pushed; a
 * digest-pinned FROM is never resolved again; `--pull` refreshes a tag that moved.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { buildSkipReason, gantryIn, importBusybox, tempDir, writeTree } from './fixtures/build-helpers.ts';
import { type RegistryServer, startRegistry } from './fixtures/registry-server.ts';

const skip = buildSkipReason(['docker-registry', 'skopeo']);
let registry: RegistryServer;
let work: { dir: string; cleanup: () => Promise<void> };

before(async () => {
  if (skip) return;
  registry = await startRegistry();
  work = await tempDir('gantry-e2e-regbuild-');
  // A publisher store puts busybox into the registry.
  const publisher = gantryIn(`${work.dir}/publisher`);
  await importBusybox(publisher);
  publisher.ok(['push', 'busybox:latest', `${registry.host}/base/busybox:1`]);
});

after(async () => {
  if (skip) return;
  await registry.close();
  await work.cleanup();
});

test('FROM and COPY --from pull from the registry; --push publishes; skopeo reads it', { skip }, async () => {
  const g = gantryIn(`${work.dir}/builder`);
  const ctx = `${work.dir}/ctx-push`;
  await writeTree(ctx, {
    Dockerfile: `FROM ${registry.host}/base/busybox:1\nCOPY hello.txt /hello.txt\nCOPY --from=${registry.host}/base/busybox:1 /bin/busybox /copied-busybox\n`,
    'hello.txt': 'hello\n',
  });
  const tag = `${registry.host}/apps/hello:1`;
  const r = g.ok(['build', '--progress=plain', '--push', '-t', tag, ctx]);
  assert.match(r.stderr, new RegExp(`pulling ${registry.host}/base/busybox:1`));
  assert.match(r.stderr, /pushed /);
  const inspected = JSON.parse(
    execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${tag}`], { encoding: 'utf8' }),
  ) as {
    Layers: string[];
    Env: string[];
  };
  assert.equal(inspected.Layers.length, 3, 'busybox layer + two COPY layers');
  assert.ok(
    inspected.Env.some((e) => e.startsWith('PATH=')),
    'the base image config came along',
  );
  // The registry has the pulled base layer as it was, and the two built layers (stored as plain
  // tars) gzip-compressed, under the same config: the same image ID and diffIDs.
  const local = g.inspect(tag);
  assert.equal(inspected.Layers[0], local.manifest.layers[0]!.digest);
  const raw = JSON.parse(
    execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${tag}`], {
      encoding: 'utf8',
    }),
  ) as { config: { digest: string }; layers: { mediaType: string; digest: string }[] };
  assert.equal(raw.config.digest, local.manifest.config.digest);
  assert.deepEqual(
    local.manifest.layers.slice(1).map((l) => l.mediaType),
    ['application/vnd.oci.image.layer.v1.tar', 'application/vnd.oci.image.layer.v1.tar'],
  );
  assert.deepEqual(
    raw.layers.slice(1).map((l) => l.mediaType),
    ['application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.oci.image.layer.v1.tar+gzip'],
  );
  assert.deepEqual(
    inspected.Layers,
    raw.layers.map((l) => l.digest),
  );
});

test('a digest-pinned FROM is served from the store without asking the registry again', {
  skip,
}, async () => {
  const g = gantryIn(`${work.dir}/pinned`);
  const digest = execFileSync(
    'skopeo',
    ['inspect', '--tls-verify=false', '--format', '{{.Digest}}', `docker://${registry.host}/base/busybox:1`],
    {
      encoding: 'utf8',
    },
  ).trim();
  const ctx = `${work.dir}/ctx-pinned`;
  await writeTree(ctx, { Dockerfile: `FROM ${registry.host}/base/busybox:1@${digest}\nENV PINNED=1\n` });
  const first = g.ok(['build', '--progress=plain', ctx]);
  assert.match(first.stderr, /pulling /);
  await registry.close(); // the registry is gone: only the store can answer now
  try {
    const second = g.ok(['build', '--progress=plain', '--pull', ctx]);
    assert.doesNotMatch(second.stderr, /pulling /);
  } finally {
    registry = await startRegistry();
    const publisher = gantryIn(`${work.dir}/publisher`);
    publisher.ok(['push', 'busybox:latest', `${registry.host}/base/busybox:1`]);
  }
});

test('an image that is neither in the store nor the registry fails with the reference named', {
  skip,
}, async () => {
  const g = gantryIn(`${work.dir}/missing`);
  const ctx = `${work.dir}/ctx-missing`;
  await writeTree(ctx, { Dockerfile: `FROM ${registry.host}/nope/nothing:1\n` });
  const r = g.run(['build', '--progress=plain', ctx]);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /nope\/nothing/);
  assert.match(r.stderr, /Dockerfile:1/);
  assert.match(r.stderr, /\[E_REGISTRY_[A-Z_]+\]/);
});
