import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { applyLayer } from '../../src/image/apply-layer.ts';
import { entriesFromDirectory } from '../../src/image/entries-from-directory.ts';
import { fakeBlobStore } from '../../src/image/testing/fake-blob-store.ts';
import { writeLayer } from '../../src/image/write-layer.ts';
import type { BlobStore } from '../../src/store/types.ts';

function overlaySupport(): string | false {
  if (process.getuid?.() !== 0) return 'needs root to mount overlayfs';
  const d = join(tmpdir(), `gantry-ovl-probe-${process.pid}`);
  try {
    for (const s of ['l', 'u', 'w', 'm']) execFileSync('mkdir', ['-p', join(d, s)]);
    const r = spawnSync('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${d}/l,upperdir=${d}/u,workdir=${d}/w`,
      `${d}/m`,
    ]);
    if (r.status !== 0) return `overlayfs cannot be mounted here: ${r.stderr.toString().trim()}`;
    execFileSync('umount', [`${d}/m`]);
    return false;
  } finally {
    execFileSync('rm', ['-rf', d]);
  }
}

async function describeTree(root: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(join(root, rel))).sort()) {
    const p = rel === '' ? name : `${rel}/${name}`;
    const st = await lstat(join(root, p));
    const what = st.isDirectory()
      ? 'dir'
      : st.isSymbolicLink()
        ? `-> ${await readlink(join(root, p))}`
        : await readFile(join(root, p), 'utf8');
    out.push(`${p} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${what}`);
    if (st.isDirectory()) out.push(...(await describeTree(root, p)));
  }
  return out;
}

const skip = overlaySupport();
let dir: string;
let blobs: BlobStore;

describe('overlayfs round trip', { skip }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-overlay-'));
    blobs = await fakeBlobStore(join(dir, 'store'));
  });
  after(async () => {
    spawnSync('umount', [join(dir, 'merged')]);
    spawnSync('umount', [join(dir, 'view')]);
    await rm(dir, { recursive: true, force: true });
  });

  test('upper dir → layer → applied on the base equals the merged view; as overlay snapshot too', async () => {
    const [base, upper, work, merged] = ['base', 'upper', 'work', 'merged'].map((n) => join(dir, n)) as [
      string,
      string,
      string,
      string,
    ];
    for (const d of [upper, work, merged]) await mkdir(d);
    await mkdir(join(base, 'etc/app'), { recursive: true });
    await mkdir(join(base, 'var/cache/sub'), { recursive: true });
    await writeFile(join(base, 'etc/motd'), 'hello');
    await writeFile(join(base, 'etc/app/conf'), 'v1');
    await writeFile(join(base, 'var/cache/old'), 'old');
    await writeFile(join(base, 'var/cache/sub/older'), 'older');
    execFileSync('mount', [
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${base},upperdir=${upper},workdir=${work}`,
      merged,
    ]);
    let expected: string[];
    try {
      // What a RUN step might do: delete, replace a directory wholesale (opaque), modify, add.
      await rm(join(merged, 'etc/motd'));
      await rm(join(merged, 'var/cache'), { recursive: true });
      await mkdir(join(merged, 'var/cache'));
      await writeFile(join(merged, 'var/cache/new'), 'new');
      await writeFile(join(merged, 'etc/app/conf'), 'v2');
      await writeFile(join(merged, 'etc/added'), 'added');
      expected = await describeTree(merged);
    } finally {
      execFileSync('umount', [merged]);
    }
    const summary: string[] = [];
    for await (const e of entriesFromDirectory(upper, { overlayUpper: true }))
      summary.push(`${e.type}:${e.path}`);
    assert.ok(summary.includes('whiteout:etc/motd'), summary.join(' '));
    assert.ok(summary.includes('opaque:var/cache'), summary.join(' '));

    const layer = await writeLayer(entriesFromDirectory(upper, { overlayUpper: true }), {
      blobs,
      compression: 'gzip',
    });

    // 1. Applied onto a copy of the base ('apply' whiteouts): the same tree as the merged view.
    const flat = join(dir, 'flat');
    execFileSync('cp', ['-a', base, flat]);
    await applyLayer(blobs.open(layer.descriptor.digest), flat, { isRoot: true });
    assert.deepEqual(await describeTree(flat), expected);

    // 2. Unpacked alone as an overlay snapshot over the base: the mounted view matches too.
    const snap = join(dir, 'snap');
    await applyLayer(blobs.open(layer.descriptor.digest), snap, { isRoot: true, whiteouts: 'overlay' });
    const view = join(dir, 'view');
    await mkdir(view);
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `ro,lowerdir=${snap}:${base}`, view]);
    try {
      assert.deepEqual(await describeTree(view), expected);
    } finally {
      execFileSync('umount', [view]);
    }
  });
});
