import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { isGantryError } from '../../errors/gantry-error.ts';
import { planCopy } from './plan-copy.ts';
import { describe, isRoot, makeTree, type TreeItem, tempDir } from './testing/make-tree.ts';
import type { CopyRequest } from './types.ts';

interface Case {
  name: string;
  context: TreeItem[];
  /** undefined = scratch. */
  dest?: TreeItem[];
  req: Partial<CopyRequest> & { sources: string[]; dest: string };
  want?: string[];
  wantError?: { code: string; message?: string | RegExp };
  wantWarning?: RegExp;
  rootOnly?: boolean;
}

const goFiles: TreeItem[] = [
  { path: 'foo.go', data: 'foo-contents' },
  { path: 'bar.go', data: 'bar-contents' },
  { path: 'sub/dir1/dir2/foo', data: 'foo-contents' },
];

const users: TreeItem[] = [
  { path: 'etc/passwd', data: 'root:x:0:0:root:/root:/bin/sh\napp:x:1001:1002::/home/app:/bin/sh\n' },
  { path: 'etc/group', data: 'root:x:0:\ndaemon:x:1:\nstaff:x:50:app\n' },
];

const cases: Case[] = [
  {
    name: 'a file to a path without a trailing slash becomes that file',
    context: [{ path: 'foo', data: 'hi' }],
    req: { sources: ['foo'], dest: '/bar' },
    want: ['bar file 0644 0:0 = hi'],
  },
  {
    name: 'a trailing slash copies into a directory, created 0755 root-owned',
    context: [{ path: 'foo', data: 'hi' }],
    req: { sources: ['foo'], dest: '/dir/sub/' },
    want: ['dir dir 0755 0:0', 'dir/sub dir 0755 0:0', 'dir/sub/foo file 0644 0:0 = hi'],
  },
  {
    name: 'a directory source copies its contents, not itself; the new dest dir is 0755',
    context: [
      { path: 'src', dir: true, mode: 0o700 },
      { path: 'src/a', data: '1' },
      { path: 'src/sub', dir: true, mode: 0o750 },
      { path: 'src/sub/b', data: '2', mode: 0o600 },
    ],
    req: { sources: ['src'], dest: '/out' },
    want: [
      'out dir 0755 0:0',
      'out/a file 0644 0:0 = 1',
      'out/sub dir 0750 0:0',
      'out/sub/b file 0600 0:0 = 2',
    ],
  },
  {
    name: 'an existing directory without a trailing slash is copied into, keeping its metadata',
    context: [{ path: 'foo', data: 'hi' }],
    dest: [{ path: 'existing', dir: true, mode: 0o700 }],
    req: { sources: ['foo'], dest: '/existing' },
    want: [
      `existing dir 0700 ${process.getuid?.()}:${process.getgid?.()}`,
      'existing/foo file 0644 0:0 = hi',
    ],
  },
  {
    name: 'a relative dest is relative to WORKDIR',
    context: [{ path: 'foo', data: 'hello' }],
    req: { sources: ['foo'], dest: './bar/baz', workdir: '/test1/test2' },
    want: [
      'test1 dir 0755 0:0',
      'test1/test2 dir 0755 0:0',
      'test1/test2/bar dir 0755 0:0',
      'test1/test2/bar/baz file 0644 0:0 = hello',
    ],
  },
  {
    name: 'dest "." is the WORKDIR as a directory',
    context: [{ path: 'foo', data: 'x' }],
    req: { sources: ['foo'], dest: '.', workdir: '/var/www' },
    want: ['var dir 0755 0:0', 'var/www dir 0755 0:0', 'var/www/foo file 0644 0:0 = x'],
  },
  {
    name: 'wildcards match per segment, in byte order',
    context: goFiles,
    req: { sources: ['*.go'], dest: '/gofiles/' },
    want: [
      'gofiles dir 0755 0:0',
      'gofiles/bar.go file 0644 0:0 = bar-contents',
      'gofiles/foo.go file 0644 0:0 = foo-contents',
    ],
  },
  {
    name: 'a wildcard matching one file to a file name',
    context: goFiles,
    req: { sources: ['f*.go'], dest: 'foo2.go' },
    want: ['foo2.go file 0644 0:0 = foo-contents'],
  },
  {
    name: 'a wildcard matching a directory copies its contents',
    context: goFiles,
    req: { sources: ['sub/*'], dest: '/subdest/' },
    want: [
      'subdest dir 0755 0:0',
      'subdest/dir2 dir 0755 0:0',
      'subdest/dir2/foo file 0644 0:0 = foo-contents',
    ],
  },
  {
    name: 'a wildcard in the middle of the path',
    context: goFiles,
    req: { sources: ['sub/*/dir2/foo'], dest: '/subdest3/bar' },
    want: ['subdest3 dir 0755 0:0', 'subdest3/bar file 0644 0:0 = foo-contents'],
  },
  {
    name: 'a trailing "/." or "/" on a directory source changes nothing',
    context: goFiles,
    req: { sources: ['sub/dir1/.'], dest: 'subdest5' },
    want: [
      'subdest5 dir 0755 0:0',
      'subdest5/dir2 dir 0755 0:0',
      'subdest5/dir2/foo file 0644 0:0 = foo-contents',
    ],
  },
  {
    name: 'a wildcard that matches nothing is allowed (BuildKit testEmptyWildcard) and warned about',
    context: [{ path: 'foo', data: 'contents0' }],
    req: { sources: ['foo', 'nomatch*'], dest: '/' },
    want: ['foo file 0644 0:0 = contents0'],
    wantWarning: /nomatch\*/,
  },
  {
    name: 'a missing plain source is an error naming it',
    context: [{ path: 'foo', data: 'x' }],
    req: { sources: ['missing'], dest: '/x' },
    wantError: { code: 'E_COPY_SOURCE_NOT_FOUND', message: '"/missing": not found in the build context' },
  },
  {
    name: 'several sources need a dest ending in /',
    context: [
      { path: 'a', data: 'a' },
      { path: 'b', data: 'b' },
    ],
    req: { sources: ['a', 'b'], dest: '/x' },
    wantError: {
      code: 'E_COPY_DEST_NOT_DIR',
      message:
        'When using COPY with more than one source file, the destination must be a directory and end with a /',
    },
  },
  {
    name: 'several sources into an existing directory without a slash still work',
    context: [
      { path: 'a', data: 'a' },
      { path: 'b', data: 'b' },
    ],
    dest: [{ path: 'x', dir: true, mode: 0o755 }],
    req: { sources: ['a', 'b'], dest: '/x' },
    want: [
      `x dir 0755 ${process.getuid?.()}:${process.getgid?.()}`,
      'x/a file 0644 0:0 = a',
      'x/b file 0644 0:0 = b',
    ],
  },
  {
    name: '--chown with numbers sets uid and gid on copies and created parents',
    context: [{ path: 'foo', data: 'x' }],
    req: { sources: ['foo'], dest: '/d/', chown: '1000' },
    want: ['d dir 0755 1000:1000', 'd/foo file 0644 1000:1000 = x'],
  },
  {
    name: '--chown=name takes uid and primary gid from the dest /etc/passwd',
    context: [{ path: 'foo', data: 'x' }],
    dest: users,
    req: { sources: ['foo'], dest: '/foo', chown: 'app' },
    want: ['foo file 0644 1001:1002 = x'],
  },
  {
    name: '--chown=name:group resolves the group in /etc/group',
    context: [{ path: 'foo', data: 'x' }],
    dest: users,
    req: { sources: ['foo'], dest: '/foo', chown: 'app:staff' },
    want: ['foo file 0644 1001:50 = x'],
  },
  {
    name: '--chown=uid:name mixes numbers and names',
    context: [{ path: 'foo', data: 'x' }],
    dest: users,
    req: { sources: ['foo'], dest: '/foo', chown: '7:daemon' },
    want: ['foo file 0644 7:1 = x'],
  },
  {
    name: '--chown with an unknown user is an error',
    context: [{ path: 'foo', data: 'x' }],
    dest: users,
    req: { sources: ['foo'], dest: '/foo', chown: 'nobody' },
    wantError: { code: 'E_COPY_UNKNOWN_USER', message: /unable to find user nobody/ },
  },
  {
    name: '--chown with an unknown group is an error',
    context: [{ path: 'foo', data: 'x' }],
    dest: users,
    req: { sources: ['foo'], dest: '/foo', chown: 'app:wheel' },
    wantError: { code: 'E_COPY_UNKNOWN_GROUP', message: /unable to find group wheel/ },
  },
  {
    name: '--chown names are not looked up through a symlink leaving the dest root',
    context: [{ path: 'foo', data: 'x' }],
    dest: [{ path: 'etc/passwd', target: '../../../../../../etc/passwd' }],
    req: { sources: ['foo'], dest: '/foo', chown: 'daemon' },
    wantError: { code: 'E_EXEC_SYMLINK_LOOP' },
  },
  {
    name: '--chown names are looked up in the dest root even through an absolute symlink',
    context: [{ path: 'foo', data: 'x' }],
    dest: [
      { path: 'etc/passwd', target: '/data/passwd' },
      { path: 'data/passwd', data: 'svc:x:55:66::/:/bin/sh\n' },
    ],
    req: { sources: ['foo'], dest: '/foo', chown: 'svc' },
    want: ['foo file 0644 55:66 = x'],
  },
  {
    name: 'a directory onto an existing file at the dest is an error',
    context: [{ path: 'src/a', data: 'a' }],
    dest: [{ path: 'out', data: 'file' }],
    req: { sources: ['src'], dest: '/out' },
    wantError: { code: 'E_COPY_NOT_DIR', message: 'cannot copy to non-directory: /out' },
  },
  {
    name: '--chown names need a user database: scratch has none',
    context: [{ path: 'foo', data: 'x' }],
    req: { sources: ['foo'], dest: '/foo', chown: 'daemon' },
    wantError: { code: 'E_COPY_UNKNOWN_USER', message: /it has no \/etc\/passwd/ },
  },
  {
    name: '--link refuses --chown by name',
    context: [{ path: 'foo', data: 'x' }],
    dest: users,
    req: { sources: ['foo'], dest: '/foo', chown: 'app', link: true },
    wantError: { code: 'E_COPY_LINK_CHOWN_NAME' },
  },
  {
    name: '--link accepts --chown=root',
    context: [{ path: 'foo', data: 'x' }],
    req: { sources: ['foo'], dest: '/foo', chown: 'root:root', link: true },
    want: ['foo file 0644 0:0 = x'],
  },
  {
    name: '--chmod octal applies to files, copied dirs and created parents',
    context: [
      { path: 'src/a', data: '1' },
      { path: 'src/sub/b', data: '2' },
    ],
    req: { sources: ['src'], dest: '/p/out', chmod: '0750' },
    want: [
      'p dir 0750 0:0',
      'p/out dir 0750 0:0',
      'p/out/a file 0750 0:0 = 1',
      'p/out/sub dir 0750 0:0',
      'p/out/sub/b file 0750 0:0 = 2',
    ],
  },
  {
    name: '--chmod symbolic applies per entry; created parents stay 0755',
    context: [
      { path: 'src/a', data: '1', mode: 0o666 },
      { path: 'src/sub', dir: true, mode: 0o124 },
    ],
    req: { sources: ['src'], dest: '/out', chmod: 'go-w,a+X' },
    want: ['out dir 0755 0:0', 'out/a file 0644 0:0 = 1', 'out/sub dir 0115 0:0'],
  },
  {
    name: '--exclude patterns are relative to each source and do not cross /',
    context: [
      { path: 'src/a.txt', data: 'a' },
      { path: 'src/b.md', data: 'b' },
      { path: 'src/sub/c.txt', data: 'c' },
    ],
    req: { sources: ['src'], dest: '/out', exclude: ['*.txt'] },
    want: [
      'out dir 0755 0:0',
      'out/b.md file 0644 0:0 = b',
      'out/sub dir 0755 0:0',
      'out/sub/c.txt file 0644 0:0 = c',
    ],
  },
  {
    name: '--exclude with ** and an exception',
    context: [
      { path: 'src/a.txt', data: 'a' },
      { path: 'src/keep.txt', data: 'k' },
      { path: 'src/sub/c.txt', data: 'c' },
    ],
    req: { sources: ['src'], dest: '/out', exclude: ['**/*.txt', '!keep.txt'] },
    want: ['out dir 0755 0:0', 'out/keep.txt file 0644 0:0 = k', 'out/sub dir 0755 0:0'],
  },
  {
    name: '--exclude of a directory skips it whole',
    context: [
      { path: 'src/node_modules/x/y', data: 'y' },
      { path: 'src/index.js', data: 'i' },
    ],
    req: { sources: ['src'], dest: '/app/', exclude: ['node_modules'] },
    want: ['app dir 0755 0:0', 'app/index.js file 0644 0:0 = i'],
  },
  {
    name: '--parents keeps the source paths',
    context: [
      { path: 'foo1/foo2/bar', data: 'testing' },
      { path: 'foo1/foo2/baz', data: 'testing2' },
      { path: 'other', data: 'o' },
    ],
    req: { sources: ['foo1/foo2/ba*'], dest: '/test/', parents: true },
    want: [
      'test dir 0755 0:0',
      'test/foo1 dir 0755 0:0',
      'test/foo1/foo2 dir 0755 0:0',
      'test/foo1/foo2/bar file 0644 0:0 = testing',
      'test/foo1/foo2/baz file 0644 0:0 = testing2',
    ],
  },
  {
    name: '--parents with a /./ pivot keeps only what follows it',
    context: [
      { path: 'test/a/b/c/d/foo', data: 'f' },
      { path: 'test/a/b/c/d/e/bay', data: 'y' },
    ],
    req: { sources: ['/test/a/b/./c/d'], dest: '/out/', parents: true },
    want: [
      'out dir 0755 0:0',
      'out/c dir 0755 0:0',
      'out/c/d dir 0755 0:0',
      'out/c/d/e dir 0755 0:0',
      'out/c/d/e/bay file 0644 0:0 = y',
      'out/c/d/foo file 0644 0:0 = f',
    ],
  },
  {
    name: '--parents of a missing plain path is not found',
    context: [{ path: 'test/a', data: 'a' }],
    req: { sources: ['/test/nonexistent-file'], dest: '/out/', parents: true },
    wantError: { code: 'E_COPY_SOURCE_NOT_FOUND', message: /"\/test\/nonexistent-file": not found/ },
  },
  {
    name: 'symlinks inside a copied directory stay symlinks',
    context: [
      { path: 'src/target', data: 't' },
      { path: 'src/link', target: 'target' },
      { path: 'src/abs', target: '/etc/shadow' },
    ],
    req: { sources: ['src'], dest: '/o' },
    want: [
      'o dir 0755 0:0',
      'o/abs symlink 0777 0:0 -> /etc/shadow',
      'o/link symlink 0777 0:0 -> target',
      'o/target file 0644 0:0 = t',
    ],
  },
  {
    name: 'a symlink named as the source is followed inside the context (testCopySymlinks)',
    context: [
      { path: 'bar', data: 'bar-contents' },
      { path: 'foo', target: 'bar' },
      { path: 'sub/l0', target: 'subfile' },
      { path: 'sub/subfile', data: 'subfile-contents' },
      { path: 'sub/l1', target: 'second' },
      { path: 'sub/second', target: 'baz' },
      { path: 'sub/baz', data: 'baz-contents' },
    ],
    req: { sources: ['foo', 'sub/l*'], dest: '/alllinks/' },
    want: [
      'alllinks dir 0755 0:0',
      'alllinks/foo file 0644 0:0 = bar-contents',
      'alllinks/l0 file 0644 0:0 = subfile-contents',
      'alllinks/l1 file 0644 0:0 = baz-contents',
    ],
  },
  {
    name: 'a symlinked directory in the source path resolves inside the context',
    context: [
      { path: 'sub/foo', data: 'contents' },
      { path: 'link', target: 'sub' },
    ],
    req: { sources: ['link/foo'], dest: '.' },
    want: ['foo file 0644 0:0 = contents'],
  },
  {
    name: 'a symlink pointing outside the context is resolved inside it (not found)',
    context: [{ path: 'evil', target: '../../../../../../etc/hostname' }],
    req: { sources: ['evil'], dest: '/x' },
    wantError: { code: 'E_COPY_SOURCE_NOT_FOUND' },
  },
  {
    name: 'an absolute symlink in the source path is resolved inside the context',
    context: [
      { path: 'etc/hostname', data: 'inside' },
      { path: 'hostlink', target: '/etc' },
    ],
    req: { sources: ['hostlink/hostname'], dest: '/x' },
    want: ['x file 0644 0:0 = inside'],
  },
  {
    name: '".." in a source cannot leave the context',
    context: [{ path: 'x', data: 'inside' }],
    req: { sources: ['../../../../x'], dest: '/y' },
    want: ['y file 0644 0:0 = inside'],
  },
  {
    name: 'a ".." in the dest is cleaned; an existing file is replaced',
    context: [{ path: 'src/a', data: 'a' }],
    dest: [{ path: 'out/a', data: 'old' }],
    req: { sources: ['src'], dest: '/out/a/..' },
    want: [`out dir 0755 ${process.getuid?.()}:${process.getgid?.()}`, 'out/a file 0644 0:0 = a'],
  },
  {
    name: 'a file onto an existing directory inside the dest is an error',
    context: [{ path: 'src/a', data: 'a' }],
    dest: [{ path: 'out/a/inner', data: 'x' }],
    req: { sources: ['src'], dest: '/out' },
    wantError: { code: 'E_COPY_DIR_CONFLICT', message: 'cannot replace to directory /out/a with file' },
  },
  {
    name: 'a directory onto an existing file inside the dest is an error',
    context: [{ path: 'src/a/b', data: 'b' }],
    dest: [{ path: 'out/a', data: 'x' }],
    req: { sources: ['src'], dest: '/out' },
    wantError: { code: 'E_COPY_NOT_DIR', message: 'cannot copy to non-directory: /out/a' },
  },
  {
    name: 'a dest that is a symlink in the rootfs is followed inside it',
    context: [{ path: 'foo', data: 'x' }],
    dest: [
      { path: 'srv/app', dir: true },
      { path: 'app', target: '/srv/app' },
    ],
    req: { sources: ['foo'], dest: '/app/' },
    want: [
      `srv dir 0755 ${process.getuid?.()}:${process.getgid?.()}`,
      `srv/app dir 0755 ${process.getuid?.()}:${process.getgid?.()}`,
      'srv/app/foo file 0644 0:0 = x',
    ],
  },
  {
    name: '--link ignores the rootfs: an existing dir without a slash is replaced by the file',
    context: [{ path: 'foo', data: 'x' }],
    dest: [{ path: 'existing', dir: true }],
    req: { sources: ['foo'], dest: '/existing', link: true },
    want: ['existing file 0644 0:0 = x'],
  },
  {
    name: 'heredoc sources are 0644 files named after the heredoc',
    context: [],
    req: {
      sources: [],
      heredocs: [{ path: 'script.sh', data: 'echo hi\n' }],
      dest: '/usr/bin/',
      chmod: '755',
    },
    want: ['usr dir 0755 0:0', 'usr/bin dir 0755 0:0', 'usr/bin/script.sh file 0755 0:0 = echo hi\n'],
  },
  {
    name: '.dockerignore: an ignored source is not found',
    context: [{ path: 'secret.env', data: 's' }],
    req: {
      sources: ['secret.env'],
      dest: '/x',
      source: { root: '', kind: 'context', ignore: (p) => p.endsWith('.env') },
    },
    wantError: { code: 'E_COPY_SOURCE_NOT_FOUND', message: '"/secret.env": not found in the build context' },
  },
  {
    name: '.dockerignore: ignored entries are left out of a directory copy and of wildcards',
    context: [
      { path: 'a.env', data: 's' },
      { path: 'b.txt', data: 'b' },
      { path: 'dir/c.env', data: 'c' },
    ],
    req: {
      sources: ['*'],
      dest: '/o/',
      source: { root: '', kind: 'context', ignore: (p) => p.endsWith('.env') },
    },
    want: ['o dir 0755 0:0', 'o/b.txt file 0644 0:0 = b'],
  },
  {
    name: '.dockerignore: an ignored directory is entered only when an exception may re-include below it',
    context: [
      { path: 'docs/a.md', data: 'a' },
      { path: 'docs/keep/k.md', data: 'k' },
    ],
    req: {
      sources: ['.'],
      dest: '/o',
      source: {
        root: '',
        kind: 'context',
        ignore: (p) => p.startsWith('docs') && !p.startsWith('docs/keep'),
        ignoreMayIncludeBelow: (d) => d === 'docs',
      },
    },
    want: [
      'o dir 0755 0:0',
      'o/docs dir 0755 0:0',
      'o/docs/keep dir 0755 0:0',
      'o/docs/keep/k.md file 0644 0:0 = k',
    ],
  },
  {
    name: 'rootfs sources keep their ownership',
    rootOnly: true,
    context: [{ path: 'dir/file', data: 'f', uid: 100, gid: 200 }],
    req: { sources: ['dir'], dest: '/copy', source: { root: '', kind: 'rootfs' } },
    want: ['copy dir 0755 0:0', 'copy/file file 0644 100:200 = f'],
  },
  {
    name: 'context sources are reset to 0:0',
    rootOnly: true,
    context: [{ path: 'dir/file', data: 'f', uid: 100, gid: 200 }],
    req: { sources: ['dir'], dest: '/copy' },
    want: ['copy dir 0755 0:0', 'copy/file file 0644 0:0 = f'],
  },
];

for (const c of cases) {
  test(c.name, { skip: c.rootOnly === true && !isRoot ? 'needs root to set ownership' : false }, async () => {
    const ctx = await tempDir();
    try {
      const contextDir = join(ctx.dir, 'context');
      const destDir = join(ctx.dir, 'dest');
      await makeTree(contextDir, [{ path: '.', dir: true }, ...c.context]);
      if (c.dest !== undefined) await makeTree(destDir, [{ path: '.', dir: true }, ...c.dest]);
      const req: CopyRequest = {
        workdir: '/',
        destRoot: c.dest === undefined ? undefined : destDir,
        ...c.req,
        source: { ...(c.req.source ?? { kind: 'context' }), root: contextDir },
        tmpDir: ctx.dir,
      };
      if (c.wantError !== undefined) {
        const { code, message } = c.wantError;
        await assert.rejects(planCopy(req), (e) => {
          assert.ok(isGantryError(e, code), `want ${code}, got ${String(e)}`);
          if (typeof message === 'string') assert.equal(e.message, message);
          else if (message !== undefined) assert.match(e.message, message);
          return true;
        });
        return;
      }
      const plan = await planCopy(req);
      try {
        assert.deepEqual(await describe(plan.entries), c.want);
        if (c.wantWarning !== undefined)
          assert.ok(
            plan.warnings.some((w) => c.wantWarning?.test(w)),
            plan.warnings.join('\n'),
          );
        assert.match(plan.contentKey, /^[a-f0-9]{64}$/);
      } finally {
        await plan.cleanup();
      }
    } finally {
      await ctx.remove();
    }
  });
}
