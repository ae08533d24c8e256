import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isGantryError } from '../../src/errors/gantry-error.ts';
import { planCopy } from '../../src/exec/copy/plan-copy.ts';
import { listTree, writeAndApply } from '../../src/exec/copy/testing/layer-roundtrip.ts';
import { makeTree } from '../../src/exec/copy/testing/make-tree.ts';
import type { CopyRequest } from '../../src/exec/copy/types.ts';
import { makeTar } from '../../src/image/testing/make-tar.ts';

// Layout: <dir>/outside/secret (must never be read or written), <dir>/context (the build context).
let dir: string;
let context: string;
let outside: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-copy-hostile-'));
  outside = join(dir, 'outside');
  context = join(dir, 'context');
  await makeTree(outside, [{ path: 'secret', data: 'TOP SECRET' }]);
  await makeTree(context, [
    { path: 'escape-dir', target: '../outside' },
    { path: 'escape-abs', target: '/etc' },
    { path: 'escape-file', target: '../../../../../../..' + join(outside, 'secret') },
    { path: 'etc/hostname', data: 'context-hostname' },
    { path: 'sub/f', data: 'f' },
    { path: 'inside', target: 'sub' },
  ]);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function req(sources: string[], dest: string, extra: Partial<CopyRequest> = {}): CopyRequest {
  return {
    source: { root: context, kind: 'context' },
    sources,
    dest,
    workdir: '/',
    destRoot: undefined,
    tmpDir: dir,
    ...extra,
  };
}

async function planAndApply(r: CopyRequest, name: string): Promise<string[]> {
  const target = join(dir, `target-${name}`);
  await makeTree(target, [{ path: '.', dir: true }]);
  const plan = await planCopy(r);
  try {
    await writeAndApply(plan, join(dir, 'store'), target);
  } finally {
    await plan.cleanup();
  }
  return listTree(target, false);
}

async function outsideUntouched(): Promise<void> {
  assert.deepEqual(await readdir(outside), ['secret']);
  assert.equal(await readFile(join(outside, 'secret'), 'utf8'), 'TOP SECRET');
}

test('symlink pointing outside the context: a source through it is not found', async () => {
  for (const src of ['escape-dir/secret', 'escape-file']) {
    await assert.rejects(planCopy(req([src], '/x')), (e) => isGantryError(e, 'E_COPY_SOURCE_NOT_FOUND'), src);
  }
});

test('absolute symlink in the source path resolves inside the context, never on the host', async () => {
  assert.deepEqual(await planAndApply(req(['escape-abs/hostname'], '/x'), 'abs'), [
    'x file 0644 = context-hostname',
  ]);
});

test('".." in sources is confined to the context', async () => {
  await assert.rejects(planCopy(req(['../outside/secret'], '/x')), (e) =>
    isGantryError(e, 'E_COPY_SOURCE_NOT_FOUND'),
  );
  await assert.rejects(planCopy(req(['sub/../../outside/secret'], '/x')), (e) =>
    isGantryError(e, 'E_COPY_SOURCE_NOT_FOUND'),
  );
  assert.deepEqual(await planAndApply(req(['../../sub/f'], '/y'), 'dotdot'), ['y file 0644 = f']);
});

test('symlinked directory in the source path is followed inside the context', async () => {
  assert.deepEqual(await planAndApply(req(['inside/f'], '/z'), 'symdir'), ['z file 0644 = f']);
});

test('symlinks inside a copied tree are copied as links, not followed out of the context', async () => {
  const listing = await planAndApply(req(['.'], '/all/'), 'tree');
  assert.ok(listing.includes('all/escape-dir symlink -> ../outside'), listing.join('\n'));
  assert.ok(listing.includes('all/escape-abs symlink -> /etc'), listing.join('\n'));
  assert.ok(!listing.some((l) => l.includes('TOP SECRET')));
  await outsideUntouched();
});

test('destination symlink pointing outside the rootfs is resolved inside it', async () => {
  const rootfs = join(dir, 'rootfs-dest-link');
  await makeTree(rootfs, [{ path: 'app', target: outside }]);
  const plan = await planCopy(req(['sub/f'], '/app/', { destRoot: rootfs }));
  try {
    const paths = plan.entries.map((e) => e.path);
    assert.deepEqual(paths, [
      ...outside
        .slice(1)
        .split('/')
        .map((_, i, a) => a.slice(0, i + 1).join('/')),
      `${outside.slice(1)}/f`,
    ]);
  } finally {
    await plan.cleanup();
  }
  await outsideUntouched();
});

test('ADD of a hostile archive stays inside the destination directory', async () => {
  const evil = makeTar(
    [
      { name: '../../../../evil-dotdot', body: 'a' },
      { name: '/abs-evil', body: 'b' },
      { name: 'root', type: 'symlink', linkname: '/' },
      { name: 'root/through-abs-link', body: 'c' },
      { name: 'up', type: 'symlink', linkname: '../../../..' },
      { name: 'up/through-dotdot-link', body: 'd' },
      { name: 'out', type: 'symlink', linkname: outside },
      { name: 'out/secret', body: 'overwritten?' },
    ],
    { gzip: true },
  );
  await writeFile(join(context, 'evil.tar.gz'), evil);
  const rootfs = join(dir, 'rootfs-add');
  await makeTree(rootfs, [{ path: 'etc/keep', data: 'keep' }]);
  const target = join(dir, 'target-add');
  execFileSync('cp', ['-a', `${rootfs}/.`, target]);
  const plan = await planCopy(req(['evil.tar.gz'], '/dest', { isAdd: true, destRoot: rootfs }));
  try {
    await writeAndApply(plan, join(dir, 'store'), target);
  } finally {
    await plan.cleanup();
  }
  const listing = await listTree(target, false);
  const want = [
    'dest dir 0755',
    'dest/abs-evil file 0644 = b',
    'dest/evil-dotdot file 0644 = a',
    'dest/out symlink -> ' + outside,
    ...outside
      .slice(1)
      .split('/')
      .map((_, i, a) => `dest/${a.slice(0, i + 1).join('/')} dir 0755`),
    `dest/${outside.slice(1)}/secret file 0644 = overwritten?`,
    'dest/root symlink -> /',
    'dest/through-abs-link file 0644 = c',
    'dest/through-dotdot-link file 0644 = d',
    'dest/up symlink -> ../../../..',
    'etc dir 0755',
    'etc/keep file 0644 = keep',
  ].sort();
  assert.deepEqual([...listing].sort(), want);
  await outsideUntouched();
});
