/**
 * Issue 3: the outputs of a build (OCI layout tar and directory, docker-archive, local
 * directory, `gantry save`), read back by skopeo and umoci; reproducible digests with
 * SOURCE_DATE_EPOCH; `--iidfile`, `--metadata-file` and `-q`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildSkipReason,
  busyboxWorkspace,
  type Gantry,
  gantryIn,
  importBusybox,
  readTree,
  writeTree,
} from './fixtures/build-helpers.ts';

const skip = buildSkipReason(['skopeo', 'umoci']);
const SDE = '1700000000';

let work: { dir: string; cleanup: () => Promise<void> };
let g: Gantry;
let ctx: string;

function skopeo(...args: string[]): string {
  return execFileSync('skopeo', ['--insecure-policy', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();
}

interface SkopeoInspect {
  Digest: string;
  Env: string[];
  Layers: string[];
  Labels: Record<string, string> | null;
  Created: string;
}

/** The expected root filesystem of the image, without busybox's own files. */
const OWN_FILES = {
  app: 'd 0755 0:0',
  'app/bin': 'd 0755 0:0',
  'app/bin/run.sh': 'f 0755 0:0 #!/bin/sh\necho run\n',
  'app/conf': 'd 0755 0:0',
  'app/conf/app.conf': 'f 0644 0:0 key=value\n',
  'app/conf/latest': 'l 0:0 -> app.conf',
  // COPY of a symlink source copies what it points to (BuildKit follows the named source).
  'app/current': 'f 0644 0:0 key=value\n',
  'app/owned': 'f 0600 1000:2000 mine\n',
};

describe('issue 3: build outputs read by skopeo and umoci', { skip }, () => {
  before(async () => {
    ({ work, g } = await busyboxWorkspace('outputs'));
    ctx = join(work.dir, 'ctx');
    await writeTree(ctx, {
      Dockerfile: `FROM busybox
COPY bin/ /app/bin/
COPY conf /app/conf
COPY current /app/current
COPY --chown=user:extra --chmod=600 owned /app/owned
LABEL org.opencontainers.image.title=outputs
ENV MODE=prod
CMD ["/app/bin/run.sh"]
`,
      'bin/run.sh': '#!/bin/sh\necho run\n',
      'conf/app.conf': 'key=value\n',
      owned: 'mine\n',
    });
    await chmod(join(ctx, 'bin/run.sh'), 0o755);
    await symlink('conf/app.conf', join(ctx, 'current'));
    await symlink('app.conf', join(ctx, 'conf/latest'));
  });
  after(async () => {
    await work?.cleanup();
  });

  test('type=oci tar, type=oci dir (tar=false), type=docker, --iidfile, --metadata-file', async () => {
    const ociTar = join(work.dir, 'image.oci.tar');
    const ociDir = join(work.dir, 'image-oci');
    const dockerTar = join(work.dir, 'image.docker.tar');
    const iid = join(work.dir, 'iid');
    const meta = join(work.dir, 'meta.json');
    g.ok(
      [
        'build',
        '--progress=plain',
        '-t',
        'out:v1',
        '--output',
        `type=oci,dest=${ociTar}`,
        '--output',
        `type=oci,dest=${ociDir},tar=false`,
        '--output',
        `type=docker,dest=${dockerTar}`,
        '--iidfile',
        iid,
        '--metadata-file',
        meta,
        ctx,
      ],
      { env: { SOURCE_DATE_EPOCH: SDE } },
    );
    const img = g.inspect('out:v1');
    const fromTar = JSON.parse(skopeo('inspect', `oci-archive:${ociTar}:v1`)) as SkopeoInspect;
    const fromDir = JSON.parse(skopeo('inspect', `oci:${ociDir}:v1`)) as SkopeoInspect;
    const fromDocker = JSON.parse(skopeo('inspect', `docker-archive:${dockerTar}`)) as SkopeoInspect;
    // The OCI layout gets gzip layers; the store keeps the plain tars it built, under the same
    // config (image ID) and diffIDs.
    const m = JSON.parse(await readFile(meta, 'utf8')) as Record<string, string>;
    assert.equal(fromTar.Digest, m['containerimage.digest']);
    assert.equal(fromDir.Digest, m['containerimage.digest']);
    assert.notEqual(fromDir.Digest, img.descriptor.digest);
    const rawDir = JSON.parse(skopeo('inspect', '--raw', `oci:${ociDir}:v1`)) as {
      config: { digest: string };
      layers: { mediaType: string }[];
    };
    assert.equal(rawDir.config.digest, img.manifest.config.digest);
    assert.deepEqual(
      rawDir.layers.map((l) => l.mediaType),
      Array(5).fill('application/vnd.oci.image.layer.v1.tar+gzip'),
    );
    assert.deepEqual(
      img.manifest.layers.map((l) => l.mediaType),
      Array(5).fill('application/vnd.oci.image.layer.v1.tar'),
      'the imported base and the built layers are stored uncompressed',
    );
    for (const i of [fromTar, fromDir, fromDocker]) {
      assert.equal(i.Layers.length, 5);
      assert.deepEqual(i.Labels, { 'org.opencontainers.image.title': 'outputs' });
      assert.ok(i.Env.includes('MODE=prod'));
      assert.equal(new Date(i.Created).getTime(), Number(SDE) * 1000, 'created is SOURCE_DATE_EPOCH');
    }
    // The docker archive's config is the same config blob (its digest is the image ID).
    const dockerConfig = skopeo('inspect', '--raw', '--config', `docker-archive:${dockerTar}`);
    assert.equal(
      `sha256:${execFileSync('sha256sum', { input: dockerConfig }).toString().split(' ')[0]}`,
      img.manifest.config.digest,
    );
    assert.equal(await readFile(iid, 'utf8'), img.manifest.config.digest);
    assert.equal(m['containerimage.config.digest'], img.manifest.config.digest);
    // skopeo copies the layout to another one unchanged.
    const copy = join(work.dir, 'copied-oci');
    skopeo('copy', `oci:${ociDir}:v1`, `oci:${copy}:copied`);
    assert.equal(
      (JSON.parse(skopeo('inspect', `oci:${copy}:copied`)) as SkopeoInspect).Digest,
      fromDir.Digest,
    );
    // umoci unpacks it to the expected tree.
    const bundle = join(work.dir, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${copy}:copied`, bundle], { stdio: 'pipe' });
    assert.deepEqual(
      await readTree(join(bundle, 'rootfs'), { skip: (p) => !p.startsWith('app') }),
      OWN_FILES,
    );
  });

  test('type=local writes the root filesystem; gantry save writes a docker-archive', async () => {
    const local = join(work.dir, 'local');
    g.ok(['build', '-q', '-t', 'out:v1', '--output', `type=local,dest=${local}`, ctx], {
      env: { SOURCE_DATE_EPOCH: SDE },
    });
    assert.deepEqual(await readTree(local, { skip: (p) => !p.startsWith('app') }), OWN_FILES);
    assert.ok((await readTree(local, { content: false }))['bin/busybox'], 'the base layer is included');
    const saved = join(work.dir, 'saved.tar');
    g.ok(['save', '-o', saved, 'out:v1']);
    const info = JSON.parse(skopeo('inspect', `docker-archive:${saved}`)) as SkopeoInspect & {
      RepoTags?: string[];
    };
    assert.equal(info.Layers.length, 5);
    const manifest = JSON.parse(execFileSync('tar', ['-xOf', saved, 'manifest.json']).toString()) as {
      RepoTags: string[];
    }[];
    assert.deepEqual(manifest[0]?.RepoTags, ['out:v1']);
  });

  test('SOURCE_DATE_EPOCH: a fresh store and --no-cache give the same manifest digest', async () => {
    const first = g.inspect('out:v1').descriptor.digest;
    const g2 = gantryIn(join(work.dir, 'store2'));
    await importBusybox(g2, 'busybox:latest', work.dir);
    const r = g2.ok(['build', '-q', '--no-cache', '-t', 'out:v1', ctx], { env: { SOURCE_DATE_EPOCH: SDE } });
    assert.match(r.stdout, /^sha256:[a-f0-9]{64}\n$/);
    assert.equal(g2.inspect('out:v1').descriptor.digest, first);
    assert.equal(r.stdout.trim(), g.inspect('out:v1').manifest.config.digest);
    // Another epoch changes the digest.
    g2.ok(['build', '-q', '-t', 'out:v2', ctx], { env: { SOURCE_DATE_EPOCH: '1700000001' } });
    assert.notEqual(g2.inspect('out:v2').descriptor.digest, first);
  });

  test('-q prints only the image ID on stdout and nothing on stderr', () => {
    const r = g.ok(['build', '-q', ctx]);
    assert.match(r.stdout, /^sha256:[a-f0-9]{64}\n$/);
    assert.equal(r.stderr, '');
  });
});
