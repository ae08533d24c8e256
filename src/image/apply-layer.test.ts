import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import { applyLayer } from './apply-layer.ts';
import { makeTar, type TestMember } from './testing/make-tar.ts';

const isRoot = process.getuid?.() === 0;
let base: string;
let outside: string;
let n = 0;

before(async () => {
  base = await mkdtemp(join(tmpdir(), 'gantry-apply-'));
  outside = join(base, 'outside');
  await mkdir(outside);
  await writeFile(join(outside, 'secret'), 'host secret');
});
after(async () => {
  await rm(base, { recursive: true, force: true });
});

async function freshRoot(): Promise<string> {
  const root = join(base, `root${n++}`);
  await mkdir(root);
  return root;
}

async function apply(root: string, members: TestMember[], gzip = false) {
  return applyLayer(Readable.from([makeTar(members, { gzip })]), root, { isRoot });
}

async function outsideUntouched(): Promise<void> {
  assert.deepEqual((await readdir(outside)).sort(), ['secret']);
  assert.equal(await readFile(join(outside, 'secret'), 'utf8'), 'host secret');
}

describe('applyLayer: ordinary layers', () => {
  test('writes files, dirs, symlinks and hardlinks with modes, owners and mtimes', async () => {
    const root = await freshRoot();
    await apply(root, [
      { name: 'etc/', type: 'dir', mode: 0o755, mtime: 5000 },
      { name: 'etc/conf', body: 'x=1\n', mode: 0o600, uid: 1000, gid: 1001, mtime: 4000 },
      { name: 'etc/link', type: 'symlink', linkname: 'conf' },
      { name: 'etc/hard', type: 'hardlink', linkname: 'etc/conf' },
      { name: 'bin/su', body: 'elf', mode: 0o4755 },
    ]);
    const conf = await lstat(join(root, 'etc/conf'));
    assert.equal(await readFile(join(root, 'etc/conf'), 'utf8'), 'x=1\n');
    assert.equal(conf.mode & 0o7777, 0o600);
    assert.equal(conf.mtimeMs, 4000_000);
    if (isRoot) assert.deepEqual([conf.uid, conf.gid], [1000, 1001]);
    assert.equal(await readlink(join(root, 'etc/link')), 'conf');
    assert.equal((await lstat(join(root, 'etc/hard'))).ino, conf.ino);
    assert.equal((await lstat(join(root, 'etc'))).mtimeMs, 5000_000);
    assert.equal((await lstat(join(root, 'bin/su'))).mode & 0o7777, 0o4755);
  });

  test('detects gzip and unpacks the same content', async () => {
    const root = await freshRoot();
    await apply(root, [{ name: 'a.txt', body: 'zipped' }], true);
    assert.equal(await readFile(join(root, 'a.txt'), 'utf8'), 'zipped');
  });

  test('a whiteout deletes the named file or directory from lower layers', async () => {
    const root = await freshRoot();
    await apply(root, [
      { name: 'd/', type: 'dir' },
      { name: 'd/keep' },
      { name: 'd/gone' },
      { name: 'd/sub/x' },
    ]);
    await apply(root, [{ name: 'd/.wh.gone' }, { name: 'd/.wh.sub' }]);
    assert.deepEqual(await readdir(join(root, 'd')), ['keep']);
  });

  test('aufs metadata names (.wh..wh.*) are neither whiteouts nor files', async () => {
    const root = await freshRoot();
    await apply(root, [{ name: 'plnk' }, { name: 'keep' }]);
    await apply(root, [
      { name: '.wh..wh.plnk' },
      { name: '.wh..wh.plnk/1234', body: 'x' },
      { name: '.wh..wh.aufs' },
    ]);
    assert.deepEqual((await readdir(root)).sort(), ['keep', 'plnk']);
  });

  test("an opaque marker empties the directory of lower content but keeps this layer's", async () => {
    const root = await freshRoot();
    await apply(root, [{ name: 'd/old1' }, { name: 'd/olddir/x' }, { name: 'd/keepdir/old' }]);
    await apply(root, [
      { name: 'd/', type: 'dir' },
      { name: 'd/new' },
      { name: 'd/keepdir/', type: 'dir' },
      { name: 'd/.wh..wh..opq' },
    ]);
    assert.deepEqual((await readdir(join(root, 'd'))).sort(), ['keepdir', 'new']);
    assert.deepEqual(await readdir(join(root, 'd/keepdir')), []);
  });

  test('a file replaces a directory of the same name, and a directory merges into one', async () => {
    const root = await freshRoot();
    await apply(root, [{ name: 'x/inner' }, { name: 'y/lower' }]);
    await apply(root, [
      { name: 'x', body: 'now a file' },
      { name: 'y/', type: 'dir', mode: 0o700 },
      { name: 'y/upper' },
    ]);
    assert.equal(await readFile(join(root, 'x'), 'utf8'), 'now a file');
    assert.deepEqual((await readdir(join(root, 'y'))).sort(), ['lower', 'upper']);
    assert.equal((await lstat(join(root, 'y'))).mode & 0o777, 0o700);
  });

  test('xattrs are set (user.* always; others only as root)', async () => {
    const root = await freshRoot();
    await apply(root, [
      { name: 'f', xattrs: { 'user.test': Buffer.from('1'), 'user.bin': Buffer.from([0, 255, 10]) } },
    ]);
    const dump = execFileSync('getfattr', [
      '--absolute-names',
      '-d',
      '-m',
      '-',
      '-e',
      'hex',
      join(root, 'f'),
    ]).toString();
    assert.match(dump, /user\.test=0x31/);
    assert.match(dump, /user\.bin=0x00ff0a/);
  });

  test('device nodes are skipped with a warning when not root', async () => {
    const root = await freshRoot();
    const members: TestMember[] = [{ name: 'dev/null', type: 'char', devmajor: 1, devminor: 3, mode: 0o666 }];
    const result = await applyLayer(Readable.from([makeTar(members)]), root, { isRoot: false });
    assert.equal(existsSync(join(root, 'dev/null')), false);
    assert.match(result.warnings.join('\n'), /dev\/null.*needs root/);
  });

  test('device nodes and fifos are created when root', {
    skip: !isRoot && 'needs root for mknod',
  }, async () => {
    const root = await freshRoot();
    await apply(root, [
      { name: 'dev/null', type: 'char', devmajor: 1, devminor: 3, mode: 0o666 },
      { name: 'run/fifo', type: 'fifo', mode: 0o600 },
    ]);
    const st = await lstat(join(root, 'dev/null'));
    assert.ok(st.isCharacterDevice());
    assert.equal(st.rdev, (1 << 8) | 3);
    assert.ok((await lstat(join(root, 'run/fifo'))).isFIFO());
  });
});

describe('applyLayer: overlay snapshots (whiteouts: overlay)', { skip: !isRoot && 'needs root' }, () => {
  test('whiteouts become 0/0 char devices, opaque markers trusted.overlay.opaque=y, children kept', async () => {
    const root = await freshRoot();
    const tar = makeTar([
      { name: 'etc/', type: 'dir', mode: 0o755 },
      { name: 'etc/.wh.motd', uid: 5, gid: 6 },
      { name: 'var/cache/', type: 'dir', mode: 0o755 },
      { name: 'var/cache/new', body: 'n' },
      { name: 'var/cache/.wh..wh..opq' },
    ]);
    await applyLayer(Readable.from([tar]), root, { isRoot: true, whiteouts: 'overlay' });
    const wh = await lstat(join(root, 'etc/motd'));
    assert.ok(wh.isCharacterDevice());
    assert.equal(wh.rdev, 0);
    assert.deepEqual([wh.uid, wh.gid], [5, 6]);
    const opaque = execFileSync('getfattr', [
      '--absolute-names',
      '--only-values',
      '-n',
      'trusted.overlay.opaque',
      join(root, 'var/cache'),
    ]);
    assert.equal(opaque.toString(), 'y');
    assert.deepEqual(await readdir(join(root, 'var/cache')), ['new']);
  });

  test('overlay mode refuses to run without root', async () => {
    const root = await freshRoot();
    await assert.rejects(
      applyLayer(Readable.from([makeTar([])]), root, { isRoot: false, whiteouts: 'overlay' }),
      /need root/,
    );
  });
});

describe('applyLayer: hostile layers stay inside the root', () => {
  test('dot-dot path is clamped at the root', async () => {
    const root = await freshRoot();
    await apply(root, [
      { name: '../../outside/pwned', body: 'x' },
      { name: 'a/../../../b', body: 'y' },
    ]);
    await outsideUntouched();
    assert.equal(await readFile(join(root, 'outside/pwned'), 'utf8'), 'x');
    assert.equal(await readFile(join(root, 'b'), 'utf8'), 'y');
  });

  test('absolute path is taken relative to the root', async () => {
    const root = await freshRoot();
    await apply(root, [{ name: `${outside}/pwned`, body: 'x' }]);
    await outsideUntouched();
    assert.equal(await readFile(join(root, outside, 'pwned'), 'utf8'), 'x');
  });

  test('absolute symlink to a host directory is not followed when writing through it', async () => {
    const root = await freshRoot();
    await apply(root, [
      { name: 'evil', type: 'symlink', linkname: outside },
      { name: 'evil/pwned', body: 'x' },
      { name: 'evil/secret', body: 'overwritten' },
    ]);
    await outsideUntouched();
    assert.equal(await readFile(join(root, outside, 'pwned'), 'utf8'), 'x');
  });

  test('relative symlink climbing above the root is clamped at the root', async () => {
    const root = await freshRoot();
    await apply(root, [
      { name: 'up', type: 'symlink', linkname: '../../../../../../../../..' + outside },
      { name: 'up/pwned', body: 'x' },
    ]);
    await outsideUntouched();
    assert.equal(await readFile(join(root, outside, 'pwned'), 'utf8'), 'x');
  });

  test('symlinked parent directory from a lower layer is resolved under the root', async () => {
    const root = await freshRoot();
    await apply(root, [{ name: 'lib', type: 'symlink', linkname: outside }]);
    await apply(root, [{ name: 'lib/secret', body: 'overwritten' }]);
    await outsideUntouched();
  });

  test('a file entry replaces a symlink, never writing to its target', async () => {
    const root = await freshRoot();
    await apply(root, [
      { name: 'l', type: 'symlink', linkname: join(outside, 'secret') },
      { name: 'l', body: 'replaced' },
    ]);
    await outsideUntouched();
    assert.equal(await readFile(join(root, 'l'), 'utf8'), 'replaced');
  });

  test('hardlink to a path outside the root is refused', async () => {
    const root = await freshRoot();
    await assert.rejects(
      apply(root, [{ name: 'h', type: 'hardlink', linkname: `../../../../..${outside}/secret` }]),
      (e) => isGantryError(e, 'E_LAYER_LINK_TARGET'),
    );
    await outsideUntouched();
  });

  test('hardlink through a symlink pointing outside is refused', async () => {
    const root = await freshRoot();
    await assert.rejects(
      apply(root, [
        { name: 'evil', type: 'symlink', linkname: outside },
        { name: 'h', type: 'hardlink', linkname: 'evil/secret' },
      ]),
      (e) => isGantryError(e, 'E_LAYER_LINK_TARGET'),
    );
    await outsideUntouched();
  });

  test('a layer replacing the root with a symlink is skipped with a warning', async () => {
    const root = await freshRoot();
    const result = await apply(root, [
      { name: './', type: 'symlink', linkname: outside },
      { name: 'file', body: 'x' },
    ]);
    assert.ok((await lstat(root)).isDirectory());
    assert.match(result.warnings.join('\n'), /replace the root/);
    assert.equal(existsSync(join(root, 'file')), true);
    await outsideUntouched();
  });

  test('whiteout through a symlinked parent does not delete host files', async () => {
    const root = await freshRoot();
    await apply(root, [{ name: 'evil', type: 'symlink', linkname: outside }]);
    await apply(root, [{ name: 'evil/.wh.secret' }, { name: '.wh..' }, { name: 'x/.wh...' }]);
    await outsideUntouched();
    assert.ok((await lstat(root)).isDirectory());
  });

  test('opaque marker through a symlinked parent does not empty host directories', async () => {
    const root = await freshRoot();
    await apply(root, [{ name: 'evil', type: 'symlink', linkname: outside }]);
    await apply(root, [{ name: 'evil/.wh..wh..opq' }]);
    await outsideUntouched();
  });

  test('xattrs for a path whose parent becomes a symlink later in the layer are not set outside', async () => {
    const root = await freshRoot();
    await mkdir(join(outside, 'd'));
    await writeFile(join(outside, 'd', 'f'), '');
    try {
      const result = await apply(root, [
        { name: 'd/f', xattrs: { 'user.pwned': Buffer.from('1') } },
        { name: 'd', type: 'symlink', linkname: join(outside, 'd') },
      ]);
      const dump = execFileSync('getfattr', ['--absolute-names', '-d', join(outside, 'd', 'f')]).toString();
      assert.doesNotMatch(dump, /pwned/);
      assert.match(result.warnings.join('\n'), /xattrs skipped/);
    } finally {
      await rm(join(outside, 'd'), { recursive: true, force: true });
    }
  });

  test('a symlink loop fails with E_LAYER_SYMLINK_LOOP', async () => {
    const root = await freshRoot();
    await assert.rejects(
      apply(root, [
        { name: 'a', type: 'symlink', linkname: 'b' },
        { name: 'b', type: 'symlink', linkname: 'a' },
        { name: 'a/x', body: 'x' },
      ]),
      (e) => isGantryError(e, 'E_LAYER_SYMLINK_LOOP'),
    );
  });
});
