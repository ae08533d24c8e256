import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, lstat, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isGantryError } from '../../src/errors/index.ts';
import { type RunStepOptions, type RunStepResult, runStep } from '../../src/exec/run-step.ts';
import {
  buildSetxattr,
  execSkipReason,
  makeSandbox,
  mountsBelow,
  runcIds,
  type Sandbox,
} from './fixtures/exec-sandbox.ts';

const skip = execSkipReason();

describe('runStep with runc on overlayfs', { skip }, () => {
  let sb: Sandbox;
  before(async () => {
    sb = await makeSandbox();
  });
  after(async () => {
    await sb.dispose();
  });

  async function run(
    args: string[] | string,
    opts: Partial<Omit<RunStepOptions, 'process'>> & { user?: string; cwd?: string; env?: string[] } = {},
  ): Promise<RunStepResult & { out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const r = await runStep({
      lowerDirs: opts.lowerDirs ?? [sb.lower],
      scratchDir: await sb.scratch(),
      process: {
        args: typeof args === 'string' ? ['/bin/sh', '-c', args] : args,
        env: opts.env ?? ['PATH=/usr/sbin:/usr/bin:/sbin:/bin'],
        cwd: opts.cwd ?? '/',
        user: opts.user ?? '',
      },
      ...(opts.network ? { network: opts.network } : {}),
      ...(opts.mounts ? { mounts: opts.mounts } : {}),
      onOutput: (s, l) => (s === 'stdout' ? out : err).push(l),
    });
    assert.deepEqual(mountsBelow(sb.base), [], 'no mount is left behind after a step');
    return { ...r, out, err };
  }

  test('shell form: output streamed, exit 0', async () => {
    const r = await run('echo hello; echo oops >&2');
    assert.equal(r.exitCode, 0);
    assert.deepEqual(r.out, ['hello']);
    assert.deepEqual(r.err, ['oops']);
    // Two pipes: their relative order is not kept.
    assert.deepEqual([...r.outputTail].sort(), ['hello', 'oops']);
  });

  test('overlapUnmount: the upper dir is readable at once; unmounted settles with no mount left', async () => {
    const scratchDir = await sb.scratch();
    const step = (script: string) =>
      runStep({
        lowerDirs: [sb.lower],
        scratchDir,
        process: { args: ['/bin/sh', '-c', script], env: [], cwd: '/', user: '' },
        overlapUnmount: true,
      });
    const r = await step('echo made > /made.txt');
    assert.equal(r.exitCode, 0);
    assert.equal(await readFile(join(r.upperDir, 'made.txt'), 'utf8'), 'made\n');
    await r.unmounted;
    assert.deepEqual(mountsBelow(sb.base), []);
    // A failed step returns unmounted: the caller throws without waiting for anything.
    const failed = await runStep({
      lowerDirs: [sb.lower],
      scratchDir: await sb.scratch(),
      process: { args: ['/bin/sh', '-c', 'exit 4'], env: [], cwd: '/', user: '' },
      overlapUnmount: true,
    });
    assert.equal(failed.exitCode, 4);
    assert.deepEqual(mountsBelow(sb.base), [], 'unmounted before a failed step returns');
  });

  test('exec form runs argv without a shell', async () => {
    const r = await run(['/bin/echo', 'a  b', '$HOME']);
    assert.deepEqual(r.out, ['a  b $HOME']);
  });

  test('exit codes are results', async () => {
    assert.equal((await run('exit 3')).exitCode, 3);
    assert.equal((await run('exit 255')).exitCode, 255);
    // A process killed by a signal: 128 + signal, as a shell reports it.
    assert.equal((await run("sh -c 'kill -9 $$'; exit $?")).exitCode, 137);
  });

  test('a missing executable is E_EXEC_RUNTIME_FAILED naming it, and cleans up', async () => {
    await assert.rejects(
      run(['/bin/nope']),
      (e) => isGantryError(e, 'E_EXEC_RUNTIME_FAILED') && e.message.includes('/bin/nope'),
    );
    assert.deepEqual(mountsBelow(sb.base), []);
    assert.ok(!runcIds().some((id) => id.startsWith(`gantry-${process.pid}-`)));
  });

  test('env and cwd; PATH defaults when missing', async () => {
    const r = await run('echo "$FOO|$PATH"; pwd', { env: ['FOO=bar baz'], cwd: '/tmp' });
    assert.deepEqual(r.out, ['bar baz|/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', '/tmp']);
  });

  test('USER by name gets its groups; uid:gid as given; unknown name fails clearly', async () => {
    assert.deepEqual((await run('id', { user: 'user' })).out, [
      'uid=1000(user) gid=1000(user) groups=1000(user),2000(extra)',
    ]);
    assert.deepEqual((await run('id', { user: '1000:2000' })).out, [
      'uid=1000(user) gid=2000(extra) groups=2000(extra)',
    ]);
    assert.deepEqual((await run('id -u; id -g', { user: '4242' })).out, ['4242', '0']);
    await assert.rejects(
      run('id', { user: 'ghost' }),
      (e) => isGantryError(e, 'E_EXEC_UNKNOWN_USER') && e.message.includes('ghost'),
    );
  });

  test('a missing WORKDIR is created root-owned 0755 in the layer', async () => {
    const r = await run('pwd; touch f', { cwd: '/app/src', user: 'user' });
    assert.equal(r.exitCode, 1, 'user 1000 cannot write in the root-owned WORKDIR');
    const st = await stat(join(r.upperDir, 'app/src'));
    assert.equal(st.mode & 0o7777, 0o755);
    assert.equal(st.uid, 0);
    assert.deepEqual(r.out, ['/app/src']);
  });

  test('mount stubs runc made (proc, dev, sys, hosts, resolv.conf) are excluded; real changes are not', async () => {
    const r = await run('echo data > /tmp/new; cat /etc/hosts');
    assert.ok(r.out[0]?.includes('localhost buildkitsandbox'));
    // /etc only got the stubs (overlayfs copied it up for them): it goes too.
    assert.deepEqual(r.excludes, ['dev', 'etc', 'etc/hosts', 'etc/resolv.conf', 'proc', 'sys']);
    assert.equal(await readFile(join(r.upperDir, 'tmp/new'), 'utf8'), 'data\n');
    // An image that has them: nothing to exclude, nothing of them in the upper dir.
    const full = join(sb.base, 'full');
    execFileSync('cp', ['-a', sb.lower, full]);
    for (const d of ['proc', 'dev', 'sys']) await mkdir(join(full, d));
    await writeFile(join(full, 'etc/hosts'), '');
    await writeFile(join(full, 'etc/resolv.conf'), '');
    const r2 = await run('true', { lowerDirs: [full] });
    assert.deepEqual(r2.excludes, []);
    assert.deepEqual(await readdir(r2.upperDir), []);
  });

  test('deleting lower files and dirs leaves whiteouts; a recreated dir is opaque', async () => {
    const r = await run('rm /etc/group && rm -r /home && rm -r /root && mkdir /root && touch /root/new');
    assert.equal(r.exitCode, 0);
    for (const p of ['etc/group', 'home']) {
      const st = await lstat(join(r.upperDir, p));
      assert.ok(st.isCharacterDevice() && st.rdev === 0, `${p} is a whiteout`);
    }
    const opaque = execFileSync(
      'getfattr',
      ['--only-values', '-n', 'trusted.overlay.opaque', join(r.upperDir, 'root')],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(opaque, 'y');
  });

  test('hardlinks and xattrs made by the step are in the upper dir', async (t) => {
    const setx = await buildSetxattr(join(sb.base, 'go'));
    const lower2 = join(sb.base, 'with-setx');
    execFileSync('cp', ['-a', sb.lower, lower2]);
    if (setx !== undefined) await copyFile(setx, join(lower2, 'bin/setxattr'));
    const r = await run(
      `echo x > /tmp/a && ln /tmp/a /tmp/b${setx === undefined ? '' : ' && /bin/setxattr /tmp/a user.note hi'}`,
      { lowerDirs: [lower2] },
    );
    assert.equal(r.exitCode, 0, r.outputTail.join('\n'));
    const a = await lstat(join(r.upperDir, 'tmp/a'));
    const b = await lstat(join(r.upperDir, 'tmp/b'));
    assert.equal(a.ino, b.ino);
    assert.equal(a.nlink, 2);
    if (setx === undefined) {
      t.diagnostic('go is not installed: xattr part skipped');
      return;
    }
    const v = execFileSync('getfattr', ['--only-values', '-n', 'user.note', join(r.upperDir, 'tmp/a')], {
      encoding: 'utf8',
    });
    assert.equal(v, 'hi');
  });

  test('--network=none has only lo; host network sees the host interfaces', async () => {
    const none = await run("ip -o link | awk -F': ' '{print $2}'", { network: 'none' });
    assert.deepEqual(none.out, ['lo']);
    const host = await run("ip -o link | awk -F': ' '{print $2}'", { network: 'host' });
    assert.ok(host.out.length > 1, host.out.join(','));
  });

  test('FROM scratch: no lower dirs, a binary from a bind mount', async () => {
    const r = await run(
      ['/bb/bin/busybox', 'sh', '-c', '/bb/bin/busybox mkdir /made && /bb/bin/busybox ls /'],
      {
        lowerDirs: [],
        mounts: [{ type: 'bind', target: '/bb', sourceRoot: sb.lower }],
      },
    );
    assert.equal(r.exitCode, 0, r.outputTail.join('\n'));
    assert.ok(r.out.includes('made'));
    assert.ok(r.excludes.includes('bb'));
    assert.ok((await stat(join(r.upperDir, 'made'))).isDirectory());
  });
});
