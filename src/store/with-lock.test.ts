import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { isGantryError } from '../errors/gantry-error.ts';
import { processStartTime } from './process-alive.ts';
import { testRoot } from './testing/put-test-image.ts';
import { withLock } from './with-lock.ts';

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '0']);
  assert.ok(r.pid !== undefined && r.pid > 0);
  return r.pid;
}

const holder = (pid: number, host = hostname()) => `${JSON.stringify({ pid, host, nonce: 'n' })}\n`;

describe('withLock', () => {
  it('excludes concurrent holders in one process and removes the lock afterwards', async () => {
    const lock = join(await testRoot(), 'a.lock');
    let inside = 0;
    let most = 0;
    let done = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(lock, async () => {
          inside++;
          most = Math.max(most, inside);
          for (let i = 0; i < 5; i++) await tick();
          inside--;
          done++;
        }),
      ),
    );
    assert.equal(most, 1);
    assert.equal(done, 8);
    await assert.rejects(stat(lock), { code: 'ENOENT' });
  });

  it('holds our pid while held, and releases when fn throws', async () => {
    const lock = join(await testRoot(), 'b.lock');
    await assert.rejects(
      withLock(lock, async () => {
        const content = JSON.parse(await readFile(lock, 'utf8')) as { pid: number };
        assert.equal(content.pid, process.pid);
        throw new Error('boom');
      }),
      /boom/,
    );
    await assert.rejects(stat(lock), { code: 'ENOENT' });
    assert.equal(await withLock(lock, async () => 42), 42);
  });

  it('breaks a lock whose holder has exited', async () => {
    const lock = join(await testRoot(), 'c.lock');
    await writeFile(lock, holder(deadPid()));
    assert.equal(await withLock(lock, async () => 'got it', { timeoutMs: 0 }), 'got it');
    await assert.rejects(stat(lock), { code: 'ENOENT' });
  });

  it('breaks a lock left by an earlier process that had our pid (different start time)', async () => {
    const lock = join(await testRoot(), 'reused.lock');
    const start = processStartTime(process.pid);
    if (start === undefined) return; // no /proc: start times are not recorded
    await writeFile(
      lock,
      JSON.stringify({ pid: process.pid, start: `${start}1`, host: hostname(), nonce: 'old' }),
    );
    assert.equal(await withLock(lock, async () => 'mine', { timeoutMs: 0 }), 'mine');
  });

  it('breaks an unreadable lock once it is old', async () => {
    const lock = join(await testRoot(), 'd.lock');
    await writeFile(lock, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    assert.equal(await withLock(lock, async () => 1, { timeoutMs: 0 }), 1);
  });

  const kept: { name: string; content: string }[] = [
    { name: 'a live holder (pid 1)', content: holder(1) },
    {
      name: 'a holder on another host, even with a dead pid',
      content: holder(deadPid(), `not-${hostname()}`),
    },
    { name: 'an unreadable lock that is still young (being written)', content: '{"pid":' },
  ];
  for (const c of kept) {
    it(`waits for ${c.name}, then times out with E_STORE_LOCK_TIMEOUT`, async () => {
      const lock = join(await testRoot(), 'e.lock');
      await writeFile(lock, c.content);
      let ran = false;
      await assert.rejects(
        withLock(
          lock,
          async () => {
            ran = true;
          },
          { timeoutMs: 30 },
        ),
        (e) => isGantryError(e, 'E_STORE_LOCK_TIMEOUT') && e.message.includes(lock),
      );
      assert.equal(ran, false);
      assert.equal(await readFile(lock, 'utf8'), c.content, 'the lock file is left alone');
    });
  }

  it('a release does not remove a lock that someone else now holds', async () => {
    const lock = join(await testRoot(), 'f.lock');
    await withLock(lock, async () => {
      await writeFile(lock, holder(1)); // as if our lock had been broken and retaken
    });
    assert.equal(await readFile(lock, 'utf8'), holder(1));
  });
});
