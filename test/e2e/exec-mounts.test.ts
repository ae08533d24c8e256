import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isGantryError } from '../../src/errors/index.ts';
import { type RunStepResult, runStep } from '../../src/exec/run-step.ts';
import { cacheDir, type StepMount } from '../../src/exec/step-mounts.ts';
import { execSkipReason, makeSandbox, mountsBelow, type Sandbox } from './fixtures/exec-sandbox.ts';

const skip = execSkipReason();

describe('RUN --mount', { skip }, () => {
  let sb: Sandbox;
  let ctx: string;
  let store: string;
  before(async () => {
    sb = await makeSandbox();
    ctx = join(sb.base, 'context');
    store = join(sb.base, 'store');
    await mkdir(join(ctx, 'src'), { recursive: true });
    await writeFile(join(ctx, 'src/main.c'), 'int main;\n');
    await writeFile(join(ctx, 'README'), 'readme\n');
    await mkdir(store);
  });
  after(async () => {
    await sb.dispose();
  });

  async function run(
    script: string,
    mounts: StepMount[],
    user = '',
  ): Promise<RunStepResult & { out: string[] }> {
    const out: string[] = [];
    const scratchDir = await sb.scratch();
    const r = await runStep({
      lowerDirs: [sb.lower],
      scratchDir,
      process: { args: ['/bin/sh', '-c', script], env: [], cwd: '/work', user },
      mounts,
      onOutput: (_s, l) => out.push(l),
    });
    assert.deepEqual(mountsBelow(scratchDir), [], 'no mount is left behind');
    return { ...r, out };
  }

  test('bind (read-only by default): readable, not writable, not in the layer', async () => {
    const r = await run('cat /ctx/src/main.c; touch /ctx/x 2>/dev/null && echo wrote || echo ro', [
      { type: 'bind', target: '/ctx', sourceRoot: ctx },
    ]);
    assert.deepEqual(r.out, ['int main;', 'ro']);
    assert.ok(r.excludes.includes('ctx'));
  });

  test('bind source= resolves inside its root; a relative target is under WORKDIR', async () => {
    const r = await run('cat src/main.c', [
      { type: 'bind', target: 'src', sourceRoot: ctx, source: '../../../src' },
    ]);
    assert.deepEqual(r.out, ['int main;']);
    assert.ok(r.excludes.includes('work/src'));
    await assert.rejects(
      run('true', [{ type: 'bind', target: '/x', sourceRoot: ctx, source: 'nope' }]),
      (e) => isGantryError(e, 'E_EXEC_MOUNT_SOURCE'),
    );
  });

  test('bind rw: writes are seen by the step and discarded after it', async () => {
    const r = await run(
      'echo changed > /ctx/README; rm /ctx/src/main.c; cat /ctx/README; ls /ctx/src | wc -l',
      [{ type: 'bind', target: '/ctx', sourceRoot: ctx, readwrite: true }],
    );
    assert.deepEqual(r.out, ['changed', '0']);
    assert.equal(await readFile(join(ctx, 'README'), 'utf8'), 'readme\n');
    assert.equal(await readFile(join(ctx, 'src/main.c'), 'utf8'), 'int main;\n');
    const file = await run('echo more >> /r; cat /r', [
      { type: 'bind', target: '/r', sourceRoot: ctx, source: 'README', readwrite: true },
    ]);
    assert.deepEqual(file.out, ['readme', 'more']);
    assert.equal(await readFile(join(ctx, 'README'), 'utf8'), 'readme\n');
  });

  test('cache: created with uid/gid/mode, kept across steps, never in the layer', async () => {
    const m: StepMount = {
      type: 'cache',
      target: '/cache',
      id: 'pkg',
      cacheRoot: store,
      uid: 1000,
      gid: 1000,
      mode: 0o750,
    };
    const first = await run('echo one >> /cache/log; id -u > /cache/who', [m], 'user');
    assert.equal(first.exitCode, 0, first.outputTail.join('\n'));
    const dir = cacheDir(store, 'pkg');
    const st = await stat(dir);
    assert.equal(st.uid, 1000);
    assert.equal(st.mode & 0o7777, 0o750);
    const second = await run('echo two >> /cache/log; cat /cache/log', [m], 'user');
    assert.deepEqual(second.out, ['one', 'two']);
    assert.ok(second.excludes.includes('cache'));
    const kept = (await readdir(second.upperDir)).filter((n) => !second.excludes.includes(n));
    assert.deepEqual(kept, ['work']);
  });

  test('cache sharing=locked serialises steps; private gives concurrent steps their own dirs', async () => {
    const locked: StepMount = {
      type: 'cache',
      target: '/c',
      id: 'locked',
      cacheRoot: store,
      sharing: 'locked',
    };
    // Each step writes start, waits, writes end: with the lock the pairs never interleave.
    const script = (n: string) => `echo start-${n} >> /c/log; sleep 0.3; echo end-${n} >> /c/log`;
    await Promise.all([run(script('a'), [locked]), run(script('b'), [locked])]);
    const log = (await readFile(join(cacheDir(store, 'locked'), 'log'), 'utf8')).trim().split('\n');
    assert.equal(log.length, 4);
    assert.equal(log[0]!.replace('start', 'end'), log[1]);
    assert.equal(log[2]!.replace('start', 'end'), log[3]);

    const priv: StepMount = { type: 'cache', target: '/c', id: 'priv', cacheRoot: store, sharing: 'private' };
    await Promise.all([run('touch /c/a; sleep 0.3', [priv]), run('touch /c/b; sleep 0.3', [priv])]);
    const a = await readdir(cacheDir(store, 'priv', 0));
    const b = await readdir(cacheDir(store, 'priv', 1));
    assert.deepEqual([...a, ...b].sort(), ['a', 'b']);
  });

  test('tmpfs: writable, sized, empty afterwards and not in the layer', async () => {
    const r = await run("echo x > /t/f; cat /t/f; df -k /t | tail -1 | awk '{print $2}'", [
      { type: 'tmpfs', target: '/t', size: 1024 * 1024 },
    ]);
    assert.deepEqual(r.out, ['x', '1024']);
    assert.ok(r.excludes.includes('t'));
  });

  test('secret: a read-only file at /run/secrets/<id> or an env var; never in the layer', async () => {
    const data = Buffer.from('s3cr3t');
    const r = await run(
      'cat /run/secrets/tok; echo; stat -c %a /run/secrets/tok; echo "$TOKEN"; echo x 2>/dev/null > /run/secrets/tok || echo ro; mkdir -p /run/kept',
      [
        { type: 'secret', id: 'tok', data },
        { type: 'secret', id: 'tok2', env: 'TOKEN', data: Buffer.from('envval') },
      ],
    );
    assert.deepEqual(r.out, ['s3cr3t', '400', 'envval', 'ro']);
    assert.deepEqual(r.excludes, [
      'dev',
      'etc',
      'etc/hosts',
      'etc/resolv.conf',
      'proc',
      'run/secrets',
      'run/secrets/tok',
      'sys',
    ]);
    // The step's own /run/kept stays.
    assert.ok((await stat(join(r.upperDir, 'run/kept'))).isDirectory());
    await assert.rejects(run('true', [{ type: 'secret', id: 'need', required: true }]), (e) =>
      isGantryError(e, 'E_EXEC_SECRET_MISSING'),
    );
    assert.equal(
      (await run('test -e /run/secrets/opt && echo there || echo absent', [{ type: 'secret', id: 'opt' }]))
        .out[0],
      'absent',
    );
  });

  test('ssh: the agent socket is bound and SSH_AUTH_SOCK points at it', async () => {
    const sock = join(sb.base, 'agent.sock');
    const server: Server = createServer((c) => c.end('agent-hello\n'));
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      // busybox has no unix-socket client: check the socket is there for one.
      const r = await run('echo "$SSH_AUTH_SOCK"; test -S "$SSH_AUTH_SOCK" && echo socket', [
        { type: 'ssh', socketPath: sock },
      ]);
      assert.deepEqual(r.out, ['/run/buildkit/ssh_agent.0', 'socket']);
      assert.ok(r.excludes.includes('run/buildkit/ssh_agent.0'));
    } finally {
      server.close();
    }
  });
});
