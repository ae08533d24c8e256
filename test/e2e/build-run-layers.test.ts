import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildRunSkipReason,
  type GantryEnv,
  makeGantryEnv,
  ociLayers,
  tarNames,
  umociSkipReason,
  umociUnpack,
} from './fixtures/build-run-cli.ts';
import { buildSetxattr } from './fixtures/exec-sandbox.ts';

const skip = buildRunSkipReason() ?? umociSkipReason();

const DELETES = `FROM busybox:latest
RUN mkdir -p /redo/sub /keep /gone-dir/deep && echo old > /redo/old && echo x > /redo/sub/x \\
 && echo f > /gone-file && echo k > /keep/k && echo g > /gone-dir/deep/g && echo a > /lower-a
RUN rm -rf /redo /gone-file /gone-dir /keep/k && mkdir /redo && echo new > /redo/new \\
 && ln /lower-a /lower-b && echo h > /h1 && ln /h1 /h2
`;

function getfattr(path: string): string {
  const r = spawnSync('getfattr', ['--absolute-names', '-d', '-m', '-', path], { encoding: 'utf8' });
  if (r.error !== undefined) throw r.error;
  return r.stdout;
}

describe('gantry build: what a RUN layer records', { skip }, () => {
  let env: GantryEnv;
  let layout: string;
  let rootfs: string;

  before(async () => {
    env = await makeGantryEnv('build-run-layers');
    layout = join(env.dir, 'oci');
    await env.build('deletes', { Dockerfile: DELETES }, [
      '-t',
      'layers:latest',
      '-o',
      `type=oci,dest=${layout},tar=false`,
    ]);
    rootfs = umociUnpack(layout, join(env.dir, 'unpacked'));
  });
  after(async () => {
    await env?.dispose();
  });

  test('files and directories deleted from lower layers are gone (whiteouts)', async () => {
    for (const p of ['gone-file', 'gone-dir', 'keep/k', 'redo/old', 'redo/sub']) {
      await assert.rejects(lstat(join(rootfs, p)), { code: 'ENOENT' }, p);
    }
    assert.deepEqual(await readdir(join(rootfs, 'keep')), []);
    const top = tarNames((await ociLayers(layout)).at(-1)!);
    assert.ok(top.includes('.wh.gone-file'), top.join('\n'));
    assert.ok(top.includes('.wh.gone-dir'), top.join('\n'));
    assert.ok(top.includes('keep/.wh.k'), top.join('\n'));
  });

  test('a directory removed and made again is opaque: only its new content', async () => {
    assert.deepEqual(await readdir(join(rootfs, 'redo')), ['new']);
    assert.equal(await readFile(join(rootfs, 'redo/new'), 'utf8'), 'new\n');
    const top = tarNames((await ociLayers(layout)).at(-1)!);
    assert.ok(top.includes('redo/.wh..wh..opq'), top.join('\n'));
    // overlayfs bookkeeping stays out of the layer.
    assert.doesNotMatch(getfattr(join(rootfs, 'redo')), /overlay/);
  });

  test('hardlinks made by RUN are one inode after unpacking (new file and copied-up lower file)', async () => {
    const [h1, h2] = [await lstat(join(rootfs, 'h1')), await lstat(join(rootfs, 'h2'))];
    assert.equal(h1.ino, h2.ino);
    assert.equal(h1.nlink, 2);
    const [a, b] = [await lstat(join(rootfs, 'lower-a')), await lstat(join(rootfs, 'lower-b'))];
    assert.equal(a.ino, b.ino);
    assert.equal(await readFile(join(rootfs, 'lower-b'), 'utf8'), 'a\n');
  });

  test('xattrs set by RUN are in the layer (a static setxattr helper copied into the image)', async (t) => {
    if (spawnSync('getfattr', ['--version']).error !== undefined)
      return t.skip('getfattr is missing (apt-get install attr)');
    const helper = await buildSetxattr(join(env.dir, 'go'));
    if (helper === undefined) return t.skip('go is missing: cannot build the static setxattr helper');
    const ctx = await env.context('xattrs', {
      Dockerfile: `FROM busybox:latest
COPY --chmod=755 setxattr /usr/local/bin/setxattr
RUN echo data > /xf && setxattr /xf user.x 1 && mkdir /xd && setxattr /xd user.dir yes \\
 && setxattr /xf user.long "$(printf 'v%.0s' $(seq 200))"
`,
      setxattr: await readFile(helper),
    });
    const xl = join(env.dir, 'oci-x');
    const r = await env.gantry([
      'build',
      ctx,
      '--progress',
      'plain',
      '-t',
      'xattrs',
      '-o',
      `type=oci,dest=${xl},tar=false`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const root = umociUnpack(xl, join(env.dir, 'unpacked-x'));
    const f = getfattr(join(root, 'xf'));
    assert.match(f, /^user\.x="1"$/m);
    assert.match(f, new RegExp(`^user\\.long="${'v'.repeat(200)}"$`, 'm'));
    assert.match(getfattr(join(root, 'xd')), /^user\.dir="yes"$/m);
  });
});
