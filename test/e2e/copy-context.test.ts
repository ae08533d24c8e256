import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { link, lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { newPatternMatcher } from '../../src/dockerfile/ignore/pattern-matcher.ts';
import { planCopy } from '../../src/exec/copy/plan-copy.ts';
import { listTree, writeAndApply } from '../../src/exec/copy/testing/layer-roundtrip.ts';
import { isRoot, makeTree } from '../../src/exec/copy/testing/make-tree.ts';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-copy-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = [
  { path: 'etc/passwd', data: 'root:x:0:0::/root:/bin/sh\napp:x:1001:1002::/home/app:/bin/sh\n' },
  { path: 'etc/group', data: 'root:x:0:\napp:x:1002:\n' },
  { path: 'srv', dir: true, mode: 0o700 },
  { path: 'srv/existing.txt', data: 'old' },
];

test('COPY --chown=app . /srv/ from a context with .dockerignore, written as a layer and applied', async () => {
  const context = join(dir, 't1/context');
  const rootfs = join(dir, 't1/rootfs');
  const target = join(dir, 't1/target');
  await makeTree(context, [
    { path: 'Dockerfile', data: 'FROM scratch\n' },
    { path: '.git/HEAD', data: 'ref' },
    { path: 'README.md', data: 'readme' },
    { path: 'app/main.js', data: 'main' },
    { path: 'app/bin/run', data: '#!/bin/sh\n', mode: 0o755 },
    { path: 'app/logs/debug.log', data: 'noise' },
    { path: 'app/link', target: 'main.js' },
  ]);
  await link(join(context, 'app/main.js'), join(context, 'app/hard'));
  await makeTree(rootfs, base);
  execFileSync('cp', ['-a', `${rootfs}/.`, target]);
  const pm = newPatternMatcher(['.git', 'Dockerfile', '**/*.log']);
  const plan = await planCopy({
    source: { root: context, kind: 'context', ignore: (rel) => pm.matchesOrParentMatches(rel) },
    sources: ['.'],
    dest: '/srv/',
    workdir: '/',
    destRoot: rootfs,
    chown: 'app',
  });
  try {
    await writeAndApply(plan, join(dir, 't1/store'), target);
  } finally {
    await plan.cleanup();
  }
  const owner = (s: string): string => (isRoot ? ` ${s}` : '');
  const app = owner('1001:1002');
  const want = [
    `etc dir 0755${owner('0:0')}`,
    `etc/group file 0644${owner('0:0')} = root:x:0:\napp:x:1002:\n`,
    `etc/passwd file 0644${owner('0:0')} = root:x:0:0::/root:/bin/sh\napp:x:1001:1002::/home/app:/bin/sh\n`,
    `srv dir 0700${owner('0:0')}`,
    `srv/README.md file 0644${app} = readme`,
    `srv/app dir 0755${app}`,
    `srv/app/bin dir 0755${app}`,
    `srv/app/bin/run file 0755${app} = #!/bin/sh\n`,
    `srv/app/hard file 0644${app} = main`,
    `srv/app/link symlink${app} -> main.js`,
    `srv/app/logs dir 0755${app}`,
    `srv/app/main.js file 0644${app} = main`,
    `srv/existing.txt file 0644${owner('0:0')} = old`,
  ];
  assert.deepEqual(await listTree(target, isRoot), want);
  const hard = await lstat(join(target, 'srv/app/hard'));
  const main = await lstat(join(target, 'srv/app/main.js'));
  assert.equal(hard.ino, main.ino, 'the hardlink pair stays one inode');
});

test('COPY --from a rootfs keeps ownership; --link builds on scratch', {
  skip: isRoot ? false : 'needs root to own files',
}, async () => {
  const stage = join(dir, 't2/stage');
  const rootfs = join(dir, 't2/rootfs');
  await makeTree(stage, [
    { path: 'out/bin/tool', data: 'tool', mode: 0o755, uid: 100, gid: 200 },
    { path: 'out/bin', dir: true, uid: 101, gid: 201 },
  ]);
  await makeTree(rootfs, [{ path: 'usr/local/bin', dir: true, mode: 0o775 }]);
  for (const link of [false, true]) {
    const target = join(dir, `t2/target-${link}`);
    execFileSync('cp', ['-a', `${rootfs}/.`, target]);
    const plan = await planCopy({
      source: { root: stage, kind: 'rootfs' },
      sources: ['/out/bin/'],
      dest: '/usr/local/bin',
      workdir: '/',
      destRoot: rootfs,
      link,
    });
    try {
      await writeAndApply(plan, join(dir, 't2/store'), target);
    } finally {
      await plan.cleanup();
    }
    // Without --link the existing /usr/local/bin keeps 0775; with --link the layer carries a
    // fresh 0755 directory for it (BuildKit's documented --link behaviour).
    assert.deepEqual(await listTree(target), [
      'usr dir 0755 0:0',
      'usr/local dir 0755 0:0',
      `usr/local/bin dir ${link ? '0755' : '0775'} 0:0`,
      'usr/local/bin/tool file 0755 100:200 = tool',
    ]);
  }
});
