import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { shellCommand, WATCHDOG_SCRIPT } from './orphan-watchdog.ts';

/** Runs the watchdog script, feeds it `lines`, closes its stdin and waits for it to finish. */
async function runWatchdog(lines: string[]): Promise<void> {
  const c = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => c.on('exit', resolve));
  c.stdin.end(lines.map((l) => `${l}\n`).join(''));
  assert.equal(await exited, 0);
}

/** An argv that appends its own arguments, each ended by NUL, to `out`. */
function recorder(out: string, ...args: string[]): string[] {
  return ['/bin/sh', '-c', 'for a in "$@"; do printf "%s\\000" "$a"; done >> "$0"', out, ...args];
}

describe('orphan watchdog', () => {
  it('runs what is left when its input ends, newest first, each word exactly as given', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'watchdog-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const out = join(dir, "o u't");
    const odd = ["it's", 'two words', '$HOME', '`id`', 'a\nb', '\\', '"q"', '', '*', 'x;y'];
    await runWatchdog([
      `+1 ${shellCommand([recorder(out, 'first')])}`,
      `+2 ${shellCommand([recorder(out, 'dropped')])}`,
      `+3 ${shellCommand([['/bin/false'], recorder(out, ...odd)])}`,
      '-2',
    ]);
    const got = (await readFile(out, 'utf8')).split('\0');
    assert.deepEqual(
      got,
      [...odd, 'first', ''],
      'job 3 (after a failing command), then job 1; job 2 forgotten',
    );
  });

  it('does nothing when every job was taken back', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'watchdog-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const out = join(dir, 'out');
    await runWatchdog([`+7 ${shellCommand([recorder(out, 'x')])}`, '-7']);
    await assert.rejects(readFile(out), { code: 'ENOENT' });
  });
});
