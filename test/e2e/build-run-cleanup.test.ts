import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildRunSkipReason,
  eventually,
  type GantryEnv,
  makeGantryEnv,
  mountsBelow,
  runcIds,
} from './fixtures/build-run-cli.ts';

const skip = buildRunSkipReason();

/** Pids whose command line is exactly `argv` (the container's sleeping process). */
function pidsRunning(argv: string[]): number[] {
  const want = `${argv.join('\0')}\0`;
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(join('/proc', name, 'cmdline'), 'utf8') === want) pids.push(Number(name));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

describe('gantry build: nothing is left behind', { skip }, () => {
  let env: GantryEnv;
  before(async () => {
    env = await makeGantryEnv('build-run-cleanup');
  });
  after(async () => {
    await env?.dispose();
  });

  const containersOf = (pid: number | undefined) => runcIds().filter((id) => id.startsWith(`gantry-${pid}-`));

  async function assertStoreVerifies(): Promise<void> {
    const v = await env.gantry(['store', 'verify']);
    assert.equal(v.code, 0, `${v.stdout}${v.stderr}`);
    assert.match(v.stdout + v.stderr, /0 problems/);
  }

  test('after a failed RUN: no mounts, no containers, the store verifies', async () => {
    const ctx = await env.context('fail', {
      'f.txt': 'x',
      Dockerfile:
        'FROM busybox:latest\nRUN echo layer > /l\nRUN --mount=type=bind,target=/c --mount=type=tmpfs,target=/t --mount=type=cache,target=/k false\n',
    });
    const run = env.start(['build', ctx, '--progress', 'plain']);
    const r = await run.done;
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exit code: 1/);
    assert.deepEqual(mountsBelow(env.dir), []);
    assert.deepEqual(containersOf(run.child.pid), []);
    await assertStoreVerifies();
  });

  for (const [signal, secs] of [
    ['SIGTERM', '611'],
    ['SIGKILL', '612'],
  ] as const) {
    test(`after ${signal} to gantry mid-RUN: no mounts, no containers, no container process`, async () => {
      const ctx = await env.context(`kill-${secs}`, {
        Dockerfile: `FROM busybox:latest\nRUN --mount=type=tmpfs,target=/t echo "ru""nning-${secs}" && sleep ${secs}\n`,
      });
      const run = env.start(['build', ctx, '--progress', 'plain', '--no-cache']);
      try {
        await run.waitFor(`running-${secs}`);
        // While the step runs: its overlay is mounted, its container exists, sleep starts.
        assert.ok(mountsBelow(env.store).length > 0, 'the step rootfs is mounted while it runs');
        assert.equal(containersOf(run.child.pid).length, 1);
        assert.ok(await eventually(() => pidsRunning(['sleep', secs]).length === 1), 'sleep never started');
      } catch (e) {
        // Never leave a build sleeping behind a failed assertion.
        run.child.kill('SIGKILL');
        await run.done;
        throw e;
      }
      run.child.kill(signal);
      const r = await run.done;
      if (signal === 'SIGTERM') assert.equal(r.code, 143, r.stderr);
      else assert.equal(r.signal, 'SIGKILL');
      // After SIGKILL the orphan watchdog undoes the mounts and deletes the container.
      assert.ok(
        await eventually(() => mountsBelow(env.dir).length === 0),
        `mounts left: ${mountsBelow(env.dir)}`,
      );
      assert.ok(await eventually(() => containersOf(run.child.pid).length === 0), 'runc containers left');
      assert.ok(
        await eventually(() => pidsRunning(['sleep', secs]).length === 0),
        'the RUN process lives on',
      );
      if (signal === 'SIGTERM') {
        // A clean exit also removes the step's scratch dir (upper dir and all); after SIGKILL
        // `gantry prune` removes it once its owner is dead.
        const left = readdirSync(join(env.store, 'tmp')).filter((n) => n.includes(`.${run.child.pid}.`));
        assert.deepEqual(left, []);
      }
      await assertStoreVerifies();
    });
  }

  test('the store still builds after the kills', async () => {
    const r = await env.build('after', { Dockerfile: 'FROM busybox:latest\nRUN echo ok > /ok\n' }, [
      '-t',
      'after',
    ]);
    assert.match(r.stderr, /built sha256:/);
  });
});

describe('gantry run', { skip }, () => {
  let env: GantryEnv;
  before(async () => {
    env = await makeGantryEnv('build-run-run');
  });
  after(async () => {
    await env?.dispose();
  });

  test('--rm <image> echo hi prints hi', async () => {
    const run = env.start(['run', '--rm', 'busybox:latest', 'echo', 'hi']);
    const r = await run.done;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
    assert.deepEqual(containersOf(run.child.pid), []);
    assert.deepEqual(mountsBelow(env.dir), []);
  });

  test('-e K=V is in the environment; the exit code propagates', async () => {
    const r = await env.gantry([
      'run',
      '--rm',
      '-e',
      'K=V w',
      'busybox:latest',
      'sh',
      '-c',
      'echo "$K"; exit 7',
    ]);
    assert.equal(r.stdout, 'V w\n');
    assert.equal(r.code, 7);
  });

  test('runs a built image with its config (ENV, WORKDIR, USER)', async () => {
    await env.build(
      'img',
      {
        Dockerfile:
          'FROM busybox:latest\nENV GREETING=hello\nWORKDIR /srv\nUSER user\nRUN echo built > /tmp/b\n',
      },
      ['-t', 'img'],
    );
    const r = await env.gantry([
      'run',
      '--rm',
      'img',
      'sh',
      '-c',
      'echo "$GREETING $(pwd) $(id -u) $(cat /tmp/b)"',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'hello /srv 1000 built\n');
  });

  function containersOf(pid: number | undefined): string[] {
    return runcIds().filter((id) => id.startsWith(`gantry-${pid}-`));
  }
});
