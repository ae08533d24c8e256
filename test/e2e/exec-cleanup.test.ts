import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isGantryError } from '../../src/errors/index.ts';
import { mountOverlay } from '../../src/exec/mount-overlay.ts';
import { runStep } from '../../src/exec/run-step.ts';
import { execSkipReason, makeSandbox, mountsBelow, runcIds, type Sandbox } from './fixtures/exec-sandbox.ts';

const skip = execSkipReason();
const FIXTURES = join(import.meta.dirname, 'fixtures');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits (liveness, not a timing assertion) until `pid` has exited; false if it never does. */
async function waitGone(pid: number, limitMs = 60_000): Promise<boolean> {
  for (let waited = 0; waited < limitMs; waited += 50) {
    if (!alive(pid)) return true;
    await sleep(50);
  }
  return !alive(pid);
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    child.on('exit', () => reject(new Error(`child exited before reporting: ${buf}`)));
  });
}

describe('nothing is left behind', { skip }, () => {
  let sb: Sandbox;
  before(async () => {
    sb = await makeSandbox();
  });
  after(async () => {
    await sb.dispose();
  });

  test('150 lower dirs with long paths mount (beyond one page of options), top-most first', async () => {
    const layers: string[] = [];
    for (let i = 0; i < 150; i++) {
      const d = join(
        sb.base,
        'layers',
        `${'x'.repeat(60)}-${i}`,
        'a-rather-long-snapshot-directory-name',
        'fs',
      );
      await mkdir(d, { recursive: true });
      await writeFile(join(d, `f${i}`), '');
      await writeFile(join(d, 'shared'), String(i));
      layers.push(d);
    }
    assert.ok(layers.join(':').length > 4096);
    const top = layers.slice().reverse(); // the last written is the top-most
    const scratch = await sb.scratch();
    const dirs = { upperDir: join(scratch, 'u'), workDir: join(scratch, 'w'), target: join(scratch, 'm') };
    for (const d of Object.values(dirs)) await mkdir(d);
    const unmount = await mountOverlay({ lowerDirs: top, ...dirs });
    try {
      const names = await readdir(dirs.target);
      assert.equal(names.length, 151);
      assert.equal(await readFile(join(dirs.target, 'shared'), 'utf8'), '149');
    } finally {
      await unmount();
    }
    assert.deepEqual(mountsBelow(sb.base), []);
    assert.deepEqual(await readdir(scratch), ['m', 'u', 'w'], 'the temporary links are gone');

    // And a step runs on them (busybox at the bottom).
    const r = await runStep({
      lowerDirs: [...top, sb.lower],
      scratchDir: await sb.scratch(),
      process: {
        args: ['/bin/sh', '-c', 'cat /shared; echo; ls / | grep -c "^f"'],
        env: [],
        cwd: '/',
        user: '',
      },
    });
    assert.deepEqual(r.outputTail, ['149', '150']);
  });

  test('after a failing step and a step that cannot start: no mounts, no containers', async () => {
    const scratch = await sb.scratch();
    const r = await runStep({
      lowerDirs: [sb.lower],
      scratchDir: scratch,
      process: { args: ['/bin/sh', '-c', 'exit 7'], env: [], cwd: '/', user: '' },
      mounts: [
        { type: 'tmpfs', target: '/t' },
        { type: 'secret', id: 's', data: Buffer.from('x') },
      ],
    });
    assert.equal(r.exitCode, 7);
    await assert.rejects(
      runStep({
        lowerDirs: [sb.lower],
        scratchDir: await sb.scratch(),
        process: { args: ['/nope'], env: [], cwd: '/', user: 'user' },
        mounts: [
          { type: 'bind', target: '/ctx', sourceRoot: sb.lower, readwrite: true },
          { type: 'secret', id: 's', data: Buffer.from('x') },
        ],
      }),
      (e) => isGantryError(e, 'E_EXEC_RUNTIME_FAILED'),
    );
    assert.deepEqual(mountsBelow(sb.base), []);
    assert.deepEqual(
      runcIds().filter((id) => id.startsWith(`gantry-${process.pid}-`)),
      [],
    );
  });

  for (const signal of ['SIGTERM', 'SIGINT', 'SIGKILL'] as const) {
    test(`${signal} to a gantry mid-step: the container and mounts go away`, async () => {
      const scratch = await sb.scratch();
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(FIXTURES, 'step-child.ts'), sb.lower, scratch],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      try {
        const line = await firstLine(child);
        const [word, pid, watchdog] = line.split(' ');
        assert.equal(word, 'started', line);
        assert.ok(
          runcIds().some((id) => id.startsWith(`gantry-${pid}-`)),
          'the container runs',
        );
        assert.equal(mountsBelow(scratch).length, 1, 'the overlay is mounted');
        child.kill(signal);
        const code = await exited;
        if (signal === 'SIGKILL') {
          // Nothing in the killed process ran: its watchdog cleans up.
          assert.ok(await waitGone(Number(watchdog)), 'the watchdog finishes');
        } else {
          assert.equal(code, signal === 'SIGTERM' ? 143 : 130);
        }
        assert.deepEqual(mountsBelow(scratch), []);
        assert.deepEqual(
          runcIds().filter((id) => id.startsWith(`gantry-${pid}-`)),
          [],
        );
      } finally {
        child.kill('SIGKILL');
      }
    });
  }
});
