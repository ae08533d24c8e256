import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { isGantryError } from '../../errors/gantry-error.ts';
import { compareRel, DestTree } from './dest-tree.ts';
import { makeTree, tempDir } from './testing/make-tree.ts';

const meta = { mode: 0o755, uid: 0, gid: 0, mtime: 0 };

test('resolveDir follows planned and existing symlinks, confined to the base', async () => {
  const t = await tempDir();
  try {
    const root = join(t.dir, 'root');
    await makeTree(root, [
      { path: 'usr/lib', dir: true },
      { path: 'lib', target: 'usr/lib' },
      { path: 'd/abs', target: '/' },
      { path: 'd/file', data: 'x' },
    ]);
    const tree = new DestTree(root, meta);
    assert.equal(await tree.resolveDir('lib/x'), 'usr/lib/x');
    assert.equal(await tree.resolveDir('d/abs/etc', 'd'), 'd/etc');
    assert.equal(await tree.resolveDir('d/../../..', 'd'), 'd');
    assert.equal(await tree.resolveDir('d/abs/etc'), 'etc');
    tree.set({ ...meta, path: 'd/ln', type: 'symlink', size: 0, linkname: '../usr' });
    assert.equal(await tree.resolveDir('d/ln/lib'), 'usr/lib');
    await assert.rejects(tree.resolveDir('d/file/x'), (e) => isGantryError(e, 'E_COPY_NOT_DIR'));
    tree.set({ ...meta, path: 'loop', type: 'symlink', size: 0, linkname: 'loop' });
    await assert.rejects(tree.resolveDir('loop/x'), (e) => isGantryError(e, 'E_COPY_SYMLINK_LOOP'));
  } finally {
    await t.remove();
  }
});

test('planned entries shadow the destination; a file replacing a planned dir drops its children', async () => {
  const tree = new DestTree(undefined, meta);
  await tree.mkdirAll('a/b');
  tree.set({ ...meta, path: 'a/b/c', type: 'file', size: 0, content: Buffer.alloc(0) });
  assert.equal(await tree.kind('a/b'), 'dir');
  assert.equal(await tree.kind('a/b/c'), 'other');
  tree.set({ ...meta, path: 'a', type: 'file', size: 0, content: Buffer.alloc(0) });
  assert.equal(await tree.kind('a/b'), undefined);
  assert.deepEqual(
    (await tree.entries()).map((e) => e.path),
    ['a'],
  );
  assert.throws(
    () => tree.mkdirAll('a/x'),
    (e) => isGantryError(e, 'E_COPY_NOT_DIR'),
  );
});

test('entries come parents first, siblings in byte order ("a" < "a/b" < "a-b")', async () => {
  const tree = new DestTree(undefined, meta);
  for (const p of ['a-b', 'a/b', 'a', 'B']) {
    tree.set({ ...meta, path: p, type: 'dir', size: 0 });
  }
  assert.deepEqual(
    (await tree.entries()).map((e) => e.path),
    ['B', 'a', 'a/b', 'a-b'],
  );
});

/** Reference order: split into components, compare each by UTF-8 bytes, shorter prefix first. */
function byComponents(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const c = Buffer.compare(Buffer.from(as[i]!), Buffer.from(bs[i]!));
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}

test('compareRel orders paths component by component in byte order, without splitting them', () => {
  const sign = (n: number) => Math.sign(n);
  const cases: [string, string][] = [
    ['a', 'a/b'],
    ['a/b', 'a-b'],
    ['a/z', 'a!'],
    ['a/b/c', 'a/b-c'],
    ['x/\u00e9', 'x/z'],
    ['d/\ud83d\ude00', 'd/\uffff'],
    ['d/\uffff/a', 'd/\ud83d\ude00'],
  ];
  for (const [a, b] of cases) {
    assert.equal(sign(compareRel(a, b)), sign(byComponents(a, b)), `${a} vs ${b}`);
    assert.equal(sign(compareRel(b, a)), -sign(byComponents(a, b)), `${b} vs ${a}`);
  }
  const path = fc
    .array(
      fc
        .array(fc.constantFrom('a', 'b', '-', '.', '!', '~', '\u00e9', '\uffff', '\ud83d\ude00'), {
          minLength: 1,
          maxLength: 3,
        })
        .map((cs) => cs.join('')),
      {
        minLength: 1,
        maxLength: 4,
      },
    )
    .map((parts) => parts.join('/'));
  fc.assert(
    fc.property(path, path, (a, b) => sign(compareRel(a, b)) === sign(byComponents(a, b))),
    { numRuns: 5000 },
  );
});

test('below a path the destination lacks nothing is looked up again; existing paths are still seen', async () => {
  const t = await tempDir();
  try {
    const root = join(t.dir, 'root');
    await makeTree(root, [{ path: 'etc/passwd', data: 'root:x:0:0::/root:/bin/sh\n' }]);
    const tree = new DestTree(root, meta);
    assert.equal(tree.kind('app'), undefined);
    tree.mkdirAll('app/sub'); // planned over the missing path
    // The view is read-only for the plan; a path appearing later below a missing one is not
    // looked up (that is the point: a big COPY into a new directory stats nothing there).
    await makeTree(root, [{ path: 'app/sub/late', data: 'x' }]);
    assert.equal(tree.kind('app/sub/late'), undefined);
    assert.equal(tree.kind('app/sub'), 'dir', 'planned');
    assert.equal(tree.kind('etc'), 'dir');
    assert.equal(tree.kind('etc/passwd'), 'other');
    assert.equal(tree.kind('etc/passwd/x'), undefined, 'below a file');
    assert.equal(tree.currentDir('app').mode, meta.mode);
  } finally {
    await t.remove();
  }
});
