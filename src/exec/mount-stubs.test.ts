import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { excludeFilter, findMountStubs, layerExcludes, type MountStubs } from './mount-stubs.ts';

const dirs: string[] = [];
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
async function tree(files: Record<string, string | null>): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'gantry-stubs-'));
  dirs.push(d);
  for (const [p, content] of Object.entries(files)) {
    if (content === null) await mkdir(join(d, p), { recursive: true });
    else {
      await mkdir(join(d, p, '..'), { recursive: true });
      await writeFile(join(d, p), content);
    }
  }
  return d;
}

describe('findMountStubs', () => {
  test('missing targets and their missing parents; the existing dirs they go in', async () => {
    const root = await tree({ proc: null, 'etc/hosts': 'x', run: null });
    await chmod(join(root, 'run'), 0o755);
    await symlink('/run', join(root, 'var-run'));
    const found = await findMountStubs(root, [
      '/proc',
      '/dev',
      '/etc/hosts',
      '/etc/resolv.conf',
      '/run/secrets/a',
      '/var-run/x',
    ]);
    assert.deepEqual(found.stubs, ['/dev', '/etc/resolv.conf', '/run/secrets', '/run/secrets/a', '/run/x']);
    assert.deepEqual(
      found.parents.map((p) => p.path),
      ['/etc', '/run'],
    );
    assert.equal(found.parents[1]?.mode, 0o755);
  });
});

describe('layerExcludes', () => {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  test('empty stubs go; stubs the step filled, and non-stubs, stay', async () => {
    const upper = await tree({
      proc: null,
      dev: null,
      'etc/resolv.conf': '',
      'etc/hosts': 'written on purpose\n',
      'run/secrets/a': '',
      'run/secrets/b': '',
      'cache/kept-by-step': 'x',
      'usr/bin/tool': 'x',
    });
    const found: MountStubs = {
      stubs: [
        '/cache',
        '/dev',
        '/etc/hosts',
        '/etc/resolv.conf',
        '/proc',
        '/run',
        '/run/secrets',
        '/run/secrets/a',
        '/sys',
      ],
      parents: [],
    };
    assert.deepEqual(await layerExcludes(upper, found), ['dev', 'etc/resolv.conf', 'proc', 'run/secrets/a']);
  });

  test('a directory holding only excluded stubs goes too: a stub itself, or an unchanged existing parent', async () => {
    const upper = await tree({ 'run/secrets/a': '', 'etc/hosts': '', 'var/x': '' });
    await chmod(join(upper, 'etc'), 0o755);
    await chmod(join(upper, 'var'), 0o700);
    const found: MountStubs = {
      stubs: ['/etc/hosts', '/run', '/run/secrets', '/run/secrets/a', '/var/x'],
      parents: [
        { path: '/etc', mode: 0o755, uid, gid },
        { path: '/var', mode: 0o755, uid, gid },
      ],
    };
    // /var changed mode during the step: it stays (its stub does not).
    assert.deepEqual(await layerExcludes(upper, found), [
      'etc',
      'etc/hosts',
      'run',
      'run/secrets',
      'run/secrets/a',
      'var/x',
    ]);
  });

  test('an existing parent with other changes stays', async () => {
    const upper = await tree({ 'etc/hosts': '', 'etc/new': 'x' });
    await chmod(join(upper, 'etc'), 0o755);
    const found: MountStubs = { stubs: ['/etc/hosts'], parents: [{ path: '/etc', mode: 0o755, uid, gid }] };
    assert.deepEqual(await layerExcludes(upper, found), ['etc/hosts']);
  });
});

describe('excludeFilter', () => {
  const cases: [string, boolean][] = [
    ['proc', true],
    ['proc/x', true],
    ['process', false],
    ['etc/hosts', true],
    ['etc', false],
    ['etc/hostsx', false],
  ];
  const f = excludeFilter(['proc', 'etc/hosts']);
  for (const [p, want] of cases) test(`${p} → ${want}`, () => assert.equal(f(p), want));
});
