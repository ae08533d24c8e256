import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { entriesFromDirectory, splitRdev } from './entries-from-directory.ts';
import type { LayerEntry } from './layer-entry.ts';

const isRoot = process.getuid?.() === 0;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-entries-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(root: string, opts = {}): Promise<LayerEntry[]> {
  const out: LayerEntry[] = [];
  for await (const e of entriesFromDirectory(root, opts)) out.push(e);
  return out;
}

test('walks depth-first with siblings in byte order, parents before children', async () => {
  const root = join(dir, 'order');
  for (const p of ['a/b', 'a-c', 'B', 'a/Z']) await mkdir(join(root, p), { recursive: true });
  await writeFile(join(root, 'a/b/f'), 'x');
  const paths = (await collect(root)).map((e) => e.path);
  assert.deepEqual(paths, ['B', 'a', 'a/Z', 'a/b', 'a/b/f', 'a-c']);
});

test('types, link targets, sizes, and hardlinks to the first path', async () => {
  const root = join(dir, 'types');
  await mkdir(root);
  await writeFile(join(root, 'file'), 'hello');
  await link(join(root, 'file'), join(root, 'hard'));
  await symlink('file', join(root, 'sym'));
  execFileSync('mkfifo', [join(root, 'pipe')]);
  const server = createServer();
  await new Promise<void>((r) => server.listen(join(root, 'sock'), r));
  try {
    const entries = await collect(root);
    const summary = entries.map((e) => [e.path, e.type, e.size, e.linkname ?? '']);
    assert.deepEqual(summary, [
      ['file', 'file', 5, ''],
      ['hard', 'hardlink', 0, 'file'],
      ['pipe', 'fifo', 0, ''],
      ['sym', 'symlink', 0, 'file'],
    ]);
    assert.equal(entries[0]?.source, join(root, 'file'));
  } finally {
    server.close();
  }
});

test('exclude leaves out a path and everything below it', async () => {
  const root = join(dir, 'exclude');
  await mkdir(join(root, 'proc/self'), { recursive: true });
  await mkdir(join(root, 'etc'));
  const paths = (await collect(root, { exclude: (p: string) => p === 'proc' })).map((e) => e.path);
  assert.deepEqual(paths, ['etc']);
});

test('xattrs are attached, overlay-private ones left out', {
  skip: !isRoot && 'trusted.* xattrs need root',
}, async () => {
  const root = join(dir, 'xattrs');
  await mkdir(join(root, 'd'), { recursive: true });
  execFileSync('setfattr', ['-n', 'user.test', '-v', '1', join(root, 'd')]);
  execFileSync('setfattr', ['-n', 'trusted.overlay.origin', '-v', '0x00', join(root, 'd')]);
  const [d] = await collect(root);
  assert.deepEqual(d?.xattrs, { 'user.test': Buffer.from('1') });
});

test('overlay upper: 0/0 char devices become whiteouts, opaque dirs get a marker', {
  skip: !isRoot && 'mknod and trusted.* need root',
}, async () => {
  const root = join(dir, 'upper');
  await mkdir(join(root, 'etc'), { recursive: true });
  await mkdir(join(root, 'var/cache'), { recursive: true });
  await writeFile(join(root, 'var/cache/new'), '');
  execFileSync('mknod', [join(root, 'etc/motd'), 'c', '0', '0']);
  execFileSync('mknod', [join(root, 'etc/null'), 'c', '1', '3']);
  execFileSync('setfattr', ['-n', 'trusted.overlay.opaque', '-v', 'y', join(root, 'var/cache')]);
  const summary = (await collect(root, { overlayUpper: true })).map((e) => `${e.type}:${e.path}`);
  assert.deepEqual(summary, [
    'dir:etc',
    'whiteout:etc/motd',
    'char:etc/null',
    'dir:var',
    'dir:var/cache',
    'opaque:var/cache',
    'file:var/cache/new',
  ]);
  const plain = (await collect(root)).map((e) => `${e.type}:${e.path}`);
  assert.ok(plain.includes('char:etc/motd'), 'without overlayUpper a 0/0 device stays a device');
  assert.ok(!plain.includes('opaque:var/cache'));
});

test('splitRdev decodes Linux dev_t', () => {
  assert.deepEqual(splitRdev(0x0103n), { major: 1, minor: 3 });
  // glibc's makedev: minor's low byte, major's low 12 bits, minor's high bits, major's high bits.
  const makedev = (ma: bigint, mi: bigint) =>
    (mi & 0xffn) | ((ma & 0xfffn) << 8n) | ((mi & ~0xffn) << 12n) | ((ma & ~0xfffn) << 32n);
  for (const [ma, mi] of [
    [259, 0x12345],
    [0x1234, 7],
    [8, 0],
  ] as const) {
    assert.deepEqual(splitRdev(makedev(BigInt(ma), BigInt(mi))), { major: ma, minor: mi });
  }
});
