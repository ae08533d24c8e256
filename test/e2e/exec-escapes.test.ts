import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isGantryError } from '../../src/errors/index.ts';
import { type RunStepResult, runStep } from '../../src/exec/run-step.ts';
import type { StepMount } from '../../src/exec/step-mounts.ts';
import { execSkipReason, makeSandbox, mountsBelow, type Sandbox } from './fixtures/exec-sandbox.ts';

const skip = execSkipReason();

describe('escapes from the rootfs fail', { skip }, () => {
  let sb: Sandbox;
  /** A host directory an image tries to reach; it must stay as it is. */
  let victim: string;
  before(async () => {
    sb = await makeSandbox();
    victim = await mkdtemp(join(tmpdir(), 'gantry-victim-'));
    await writeFile(join(victim, 'hosts'), 'host file\n');
  });
  after(async () => {
    await sb.dispose();
    await rm(victim, { recursive: true, force: true });
  });

  async function evilImage(setup: (root: string) => Promise<void>): Promise<string> {
    const root = join(sb.base, `evil-${Math.random().toString(36).slice(2)}`);
    execFileSync('cp', ['-a', sb.lower, root]);
    await setup(root);
    return root;
  }

  async function run(
    lower: string,
    script: string,
    o: { cwd?: string; mounts?: StepMount[] } = {},
  ): Promise<RunStepResult> {
    return runStep({
      lowerDirs: [lower],
      scratchDir: await sb.scratch(),
      process: { args: ['/bin/sh', '-c', script], env: [], cwd: o.cwd ?? '/', user: '' },
      ...(o.mounts ? { mounts: o.mounts } : {}),
    });
  }

  async function victimUnchanged(): Promise<void> {
    assert.deepEqual(await readdir(victim), ['hosts']);
    assert.equal(await readFile(join(victim, 'hosts'), 'utf8'), 'host file\n');
    assert.deepEqual(mountsBelow(victim), []);
    assert.deepEqual(mountsBelow(sb.base), []);
  }

  test("an image whose /dev is a symlink to a host path gets gantry's /dev; the host path is untouched", async () => {
    const img = await evilImage(async (r) => symlink(victim, join(r, 'dev')));
    const r = await run(
      img,
      'test -c /dev/null && echo chardev > /dev/null && touch /dev/pwned; ls /dev/ | grep -c null',
    );
    assert.equal(r.exitCode, 0, r.outputTail.join('\n'));
    assert.deepEqual(r.outputTail, ['1']);
    await victimUnchanged();
    // The image's /dev symlink is not changed by the step.
    assert.equal((await readdir(r.upperDir)).includes('dev'), false);
  });

  test('writing through a symlink that points outside the rootfs stays inside it', async () => {
    const img = await evilImage(async (r) => {
      await symlink(victim, join(r, 'abs'));
      await symlink(`../../../../../../../../..${victim}`, join(r, 'rel'));
    });
    // Inside the container the links' target does not exist: writing through them fails...
    const r0 = await run(img, 'echo a > /abs/new');
    assert.notEqual(r0.exitCode, 0);
    await victimUnchanged();
    // ...and once the step makes that path, it is the rootfs's own.
    const r = await run(
      img,
      `mkdir -p ${victim}; echo a > /abs/new; echo b > /rel/new2; echo c > /abs/hosts; cat /rel/new`,
    );
    assert.equal(r.exitCode, 0, r.outputTail.join('\n'));
    assert.deepEqual(r.outputTail, ['a']);
    await victimUnchanged();
    // The writes landed in the layer, under the victim's path inside the rootfs.
    assert.equal(await readFile(join(r.upperDir, victim, 'new2'), 'utf8'), 'b\n');
  });

  test('/etc/hosts and a mount target that are symlinks to host paths are bound inside the rootfs', async () => {
    const img = await evilImage(async (r) => {
      await rm(join(r, 'etc/passwd'));
      await symlink(join(victim, 'hosts'), join(r, 'etc/hosts'));
      await symlink('/etc/passwd', join(r, 'etc/passwd-link'));
      await symlink(join(victim, 'cache'), join(r, 'cachedir'));
    });
    const store = join(sb.base, 'store');
    await mkdir(store, { recursive: true });
    const r = await run(img, 'grep -c localhost /etc/hosts; echo x > /cachedir/in-cache', {
      mounts: [{ type: 'cache', target: '/cachedir', id: 'evil', cacheRoot: store }],
    });
    assert.equal(r.exitCode, 0, r.outputTail.join('\n'));
    assert.deepEqual(r.outputTail, ['2']);
    await victimUnchanged();
  });

  test('WORKDIR into /proc (e.g. /proc/self/fd/N, CVE-2024-21626) is refused, also through a symlink', async () => {
    for (const cwd of ['/proc/self/fd/7', '/proc/1/cwd', '/dev/fd/5', '/sys/fs/cgroup']) {
      await assert.rejects(run(sb.lower, 'pwd', { cwd }), (e) => isGantryError(e, 'E_EXEC_BAD_WORKDIR'), cwd);
    }
    const img = await evilImage(async (r) => {
      await symlink('/proc/self/fd/7', join(r, 'wd'));
      await symlink('../proc/self/cwd', join(r, 'tmp/wd2'));
    });
    await assert.rejects(run(img, 'pwd', { cwd: '/wd' }), (e) => isGantryError(e, 'E_EXEC_BAD_WORKDIR'));
    await assert.rejects(run(img, 'pwd', { cwd: '/tmp/wd2/x' }), (e) =>
      isGantryError(e, 'E_EXEC_BAD_WORKDIR'),
    );
    assert.deepEqual(mountsBelow(sb.base), []);
    // /dev/shm is a plain directory and allowed.
    const ok = await run(sb.lower, 'pwd', { cwd: '/dev/shm' });
    assert.deepEqual(ok.outputTail, ['/dev/shm']);
  });
});
