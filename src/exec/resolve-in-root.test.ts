import assert from 'node:assert/strict';
import { lstat, mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { isGantryError } from '../errors/index.ts';
import { mkdirAllInRoot, resolveInRoot } from './resolve-in-root.ts';

let root: string;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'gantry-rir-'));
  await mkdir(join(root, 'etc'));
  await mkdir(join(root, 'usr/lib'), { recursive: true });
  await writeFile(join(root, 'etc/passwd'), 'x');
  await symlink('/etc', join(root, 'abs-etc'));
  await symlink('../../etc', join(root, 'usr/lib/rel-etc'));
  await symlink('/../../../../etc/shadow', join(root, 'escape'));
  await symlink('../../../../../../tmp', join(root, 'escape-rel'));
  await symlink('loop-b', join(root, 'loop-a'));
  await symlink('loop-a', join(root, 'loop-b'));
  await symlink('/usr/lib', join(root, 'lib'));
});
after(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveInRoot', () => {
  const cases: [string, string][] = [
    ['/', '/'],
    ['', '/'],
    ['/etc/passwd', '/etc/passwd'],
    ['etc/./passwd', '/etc/passwd'],
    ['/../../etc/passwd', '/etc/passwd'],
    ['/abs-etc/passwd', '/etc/passwd'],
    ['/usr/lib/rel-etc/passwd', '/etc/passwd'],
    ['/escape', '/etc/shadow'],
    ['/escape-rel/x', '/tmp/x'],
    ['/lib/../etc', '/usr/etc'],
    ['/missing/../../a/b', '/a/b'],
    ['/etc/passwd/below', '/etc/passwd/below'],
  ];
  for (const [input, want] of cases) {
    test(`${JSON.stringify(input)} → ${want}`, async () => {
      const r = await resolveInRoot(root, input);
      assert.equal(r.containerPath, want);
      assert.equal(r.hostPath, want === '/' ? root : join(root, want));
    });
  }

  test('a symlink loop is a coded error', async () => {
    await assert.rejects(resolveInRoot(root, '/loop-a/x'), (e) => isGantryError(e, 'E_EXEC_SYMLINK_LOOP'));
  });

  test('property: the host path never leaves the root', async () => {
    const seg = fc.constantFrom('..', '.', 'etc', 'abs-etc', 'escape', 'escape-rel', 'lib', 'usr', 'x', '');
    await fc.assert(
      fc.asyncProperty(fc.array(seg, { maxLength: 8 }), fc.boolean(), async (parts, abs) => {
        const r = await resolveInRoot(root, (abs ? '/' : '') + parts.join('/'));
        assert.ok(r.hostPath === root || r.hostPath.startsWith(`${root}/`), r.hostPath);
        assert.ok(!r.containerPath.split('/').includes('..'));
      }),
    );
  });
});

describe('mkdirAllInRoot', () => {
  test('creates missing directories inside the root, owned and moded as asked', async () => {
    const r = await mkdirAllInRoot(root, '/abs-etc/new/deep', { mode: 0o750, uid: 1000, gid: 1001 });
    assert.equal(r.containerPath, '/etc/new/deep');
    const st = await stat(join(root, 'etc/new/deep'));
    assert.ok(st.isDirectory());
    assert.equal(st.mode & 0o7777, 0o750);
    assert.equal(st.uid, 1000);
    assert.equal(st.gid, 1001);
    // The existing /etc kept its owner.
    assert.equal((await stat(join(root, 'etc'))).uid, process.getuid?.());
  });

  test('follows a symlink that points outside only inside the root', async () => {
    await mkdirAllInRoot(root, '/escape-rel/made-here');
    assert.ok((await lstat(join(root, 'tmp/made-here'))).isDirectory());
  });

  test('a file in the way is a coded error', async () => {
    await assert.rejects(mkdirAllInRoot(root, '/etc/passwd/x'), (e) =>
      isGantryError(e, 'E_EXEC_NOT_A_DIRECTORY'),
    );
  });
});
