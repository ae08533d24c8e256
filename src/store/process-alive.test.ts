import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isProcessAlive, processStartTime } from './process-alive.ts';

const hasProc = existsSync('/proc/self/stat');

describe('isProcessAlive', () => {
  it('we are alive; an exited process is not; nonsense pids are not', () => {
    assert.equal(isProcessAlive(process.pid), true);
    const exited = spawnSync(process.execPath, ['-e', '0']).pid ?? 0;
    assert.equal(isProcessAlive(exited), false);
    for (const pid of [0, -1, 1.5, Number.NaN]) assert.equal(isProcessAlive(pid), false);
  });

  it('with a start time: our own start time is alive, another one is a reused pid', {
    skip: !hasProc && 'no /proc',
  }, () => {
    const start = processStartTime(process.pid);
    assert.match(start ?? '', /^\d+$/);
    assert.equal(isProcessAlive(process.pid, start), true);
    assert.equal(isProcessAlive(process.pid, `${start}0`), false);
    assert.equal(processStartTime(spawnSync(process.execPath, ['-e', '0']).pid ?? 0), undefined);
  });
});
