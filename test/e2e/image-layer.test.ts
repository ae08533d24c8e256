import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmod,
  chown,
  link,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportOciLayout } from '../../src/export/export-oci-layout.ts';
import { entriesFromDirectory } from '../../src/image/entries-from-directory.ts';
import { buildImageConfig, epochToCreated, historyEntry } from '../../src/image/image-config.ts';
import { importRootfs } from '../../src/image/import-rootfs.ts';
import type { LayerEntry } from '../../src/image/layer-entry.ts';
import { putImage } from '../../src/image/put-image.ts';
import { fakeBlobStore } from '../../src/image/testing/fake-blob-store.ts';
import { writeLayer } from '../../src/image/write-layer.ts';
import type { BlobStore } from '../../src/store/types.ts';

const has = (tool: string) => spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
const isRoot = process.getuid?.() === 0;
const skip = !has('umoci')
  ? 'umoci is not installed (apt-get install umoci)'
  : !isRoot
    ? 'needs root: the fixture has uid 1000 files and a setuid binary'
    : false;
const platform = { os: 'linux', architecture: 'amd64' };

let dir: string;
let blobs: BlobStore;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-layer-'));
  blobs = await fakeBlobStore(join(dir, 'store'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The fixture: files, dirs, symlinks, a hardlink, an xattr, modes 0755/0600/04755, uid/gid 1000. */
async function makeFixture(root: string): Promise<void> {
  await mkdir(join(root, 'bin'), { recursive: true });
  await mkdir(join(root, 'etc/app'), { recursive: true });
  await mkdir(join(root, 'home/user'), { recursive: true });
  await writeFile(join(root, 'bin/tool'), '#!/bin/sh\necho tool\n');
  await chmod(join(root, 'bin/tool'), 0o755);
  await writeFile(join(root, 'bin/suid'), 'suid');
  await chmod(join(root, 'bin/suid'), 0o4755);
  await writeFile(join(root, 'etc/app/secret'), 'secret');
  await chmod(join(root, 'etc/app/secret'), 0o600);
  await writeFile(join(root, 'etc/app/removed'), 'to be whited out');
  await mkdir(join(root, 'etc/app/cache'));
  await writeFile(join(root, 'etc/app/cache/old'), 'opaque removes me');
  await writeFile(join(root, 'home/user/notes.txt'), 'mine');
  await chown(join(root, 'home/user'), 1000, 1000);
  await chown(join(root, 'home/user/notes.txt'), 1000, 1000);
  await link(join(root, 'bin/tool'), join(root, 'bin/tool-hardlink'));
  await symlink('tool', join(root, 'bin/tool-symlink'));
  await symlink('/etc/app/secret', join(root, 'etc/secret-link'));
  execFileSync('setfattr', ['-n', 'user.test', '-v', '1', join(root, 'etc/app/secret')]);
}

interface Node {
  type: string;
  mode: string;
  owner: string;
  link?: string;
  content?: string;
}

/** A comparable description of a tree: path → type, mode, owner, link target, content. */
async function describeTree(root: string, rel = ''): Promise<Record<string, Node>> {
  const out: Record<string, Node> = {};
  for (const name of (await readdir(join(root, rel))).sort()) {
    const p = rel === '' ? name : `${rel}/${name}`;
    const st = await lstat(join(root, p));
    const node: Node = {
      type: st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : st.isFile() ? 'file' : 'other',
      mode: (st.mode & 0o7777).toString(8),
      owner: `${st.uid}:${st.gid}`,
    };
    if (st.isSymbolicLink()) node.link = await readlink(join(root, p));
    if (st.isFile()) node.content = await readFile(join(root, p), 'utf8');
    out[p] = node;
    if (st.isDirectory()) Object.assign(out, await describeTree(root, p));
  }
  return out;
}

function umociUnpack(layout: string, tag: string, bundle: string): void {
  execFileSync('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle], { stdio: 'pipe' });
}

describe('layers read back by umoci', { skip }, () => {
  test('a fixture tree survives writeLayer → OCI layout → umoci unpack', async () => {
    const fixture = join(dir, 'fixture');
    await makeFixture(fixture);
    const image = await importRootfs({ source: fixture, blobs, platform, sourceDateEpoch: 1_700_000_000 });
    const layout = join(dir, 'layout');
    await exportOciLayout({ blobs, manifest: image.manifest, dest: layout, refName: 'base' });
    const bundle = join(dir, 'bundle-base');
    umociUnpack(layout, 'base', bundle);
    const rootfs = join(bundle, 'rootfs');
    assert.deepEqual(await describeTree(rootfs), await describeTree(fixture));
    const tool = await lstat(join(rootfs, 'bin/tool'));
    assert.equal((await lstat(join(rootfs, 'bin/tool-hardlink'))).ino, tool.ino, 'hardlink kept');
    const xattr = execFileSync('getfattr', [
      '--absolute-names',
      '-n',
      'user.test',
      '--only-values',
      join(rootfs, 'etc/app/secret'),
    ]);
    assert.equal(xattr.toString(), '1');
  });

  test('a whiteout layer over the base removes files after umoci unpack', async () => {
    const fixture = join(dir, 'fixture');
    const base = await writeLayer(entriesFromDirectory(fixture), {
      blobs,
      compression: 'gzip',
      sourceDateEpoch: 0,
    });
    const meta = { mode: 0o755, uid: 0, gid: 0, mtime: 0, size: 0 };
    const upper: LayerEntry[] = [
      { ...meta, path: 'etc', type: 'dir' },
      { ...meta, path: 'etc/app', type: 'dir' },
      { ...meta, path: 'etc/app/cache', type: 'dir' },
      { ...meta, path: 'etc/app/cache', type: 'opaque' },
      { ...meta, path: 'etc/app/cache/new', type: 'file', size: 3, content: Buffer.from('new'), mode: 0o644 },
      { ...meta, path: 'etc/app/removed', type: 'whiteout' },
      { ...meta, path: 'bin/tool-symlink', type: 'whiteout' },
    ];
    const top = await writeLayer(upper, { blobs, compression: 'gzip', sourceDateEpoch: 0 });
    const created = epochToCreated(0);
    const config = buildImageConfig({
      platform,
      diffIds: [base.diffId, top.diffId],
      created,
      history: [historyEntry({ created, createdBy: 'base' }), historyEntry({ created, createdBy: 'delete' })],
    });
    const image = await putImage({ blobs, config, layers: [base.descriptor, top.descriptor] });
    const layout = join(dir, 'layout');
    await exportOciLayout({ blobs, manifest: image.manifest, dest: layout, refName: 'deleted' });
    const bundle = join(dir, 'bundle-deleted');
    umociUnpack(layout, 'deleted', bundle);
    const tree = await describeTree(join(bundle, 'rootfs'));
    assert.equal(tree['etc/app/removed'], undefined);
    assert.equal(tree['bin/tool-symlink'], undefined);
    assert.equal(tree['etc/app/cache/old'], undefined);
    assert.equal(tree['etc/app/cache/new']?.content, 'new');
    assert.equal(tree['etc/app/secret']?.content, 'secret');
    assert.equal(
      Object.keys(tree).some((p) => p.includes('.wh.')),
      false,
    );
  });

  test('the same tree and sourceDateEpoch give the same manifest digest twice', async () => {
    const fixture = join(dir, 'fixture');
    const a = await importRootfs({ source: fixture, blobs, platform, sourceDateEpoch: 42 });
    const b = await importRootfs({ source: fixture, blobs, platform, sourceDateEpoch: 42 });
    assert.equal(a.manifest.digest, b.manifest.digest);
    const c = await importRootfs({ source: fixture, blobs, platform, sourceDateEpoch: 43 });
    assert.notEqual(a.manifest.digest, c.manifest.digest);
  });
});
