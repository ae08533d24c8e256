/**
 * `gantry run`: a container from an image in the store; its exit code, environment and
 * command override; with --rm nothing stays behind, also when it is stopped by SIGTERM.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { busyboxWorkspace, type Gantry, runSkipReason, spawnGantry } from './fixtures/build-helpers.ts';

const skip = runSkipReason();

let work: { dir: string; cleanup: () => Promise<void> };
let g: Gantry;

/** runc containers whose bundle is in this store (other test files may run their own). */
function ourContainers(root: string): string[] {
  const list = JSON.parse(execFileSync('runc', ['list', '--format', 'json']).toString() || 'null') as
    | { id: string; bundle: string }[]
    | null;
  return (list ?? []).filter((c) => c.bundle.startsWith(root)).map((c) => c.id);
}

async function leftovers(root: string): Promise<string[]> {
  const mounts = (await readFile('/proc/mounts', 'utf8')).split('\n').filter((l) => l.includes(root));
  const tmp = existsSync(join(root, 'tmp')) ? await readdir(join(root, 'tmp')) : [];
  return [...mounts.map((m) => `mount: ${m}`), ...tmp.map((t) => `tmp: ${t}`), ...ourContainers(root)];
}

describe('gantry run', { skip }, () => {
  before(async () => {
    ({ work, g } = await busyboxWorkspace('cli-run'));
  });
  after(async () => {
    await work?.cleanup();
  });

  test('passes the exit code, -e variables and the command; --rm leaves nothing', async () => {
    const r = g.run([
      'run',
      '--rm',
      '-e',
      'FOO=bar',
      'busybox',
      'sh',
      '-c',
      'echo "foo=$FOO path=$PATH"; exit 3',
    ]);
    assert.equal(r.status, 3, r.stderr);
    assert.equal(r.stdout, 'foo=bar path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n');
    assert.deepEqual(await leftovers(g.root), []);
  });

  test('SIGTERM stops a running container; with --rm its mounts, directory and runc state go', async () => {
    const run = spawnGantry(g.root, ['run', '--rm', 'busybox', 'sh', '-c', 'echo started; exec sleep 300']);
    try {
      for (let i = 0; i < 100 && !run.output().includes('started'); i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(run.output(), /started/);
      assert.equal(ourContainers(g.root).length, 1, 'the container runs');
    } finally {
      run.child.kill('SIGTERM');
    }
    const exit = await Promise.race([
      run.exited,
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000).unref()),
    ]);
    if (exit === 'hung') run.child.kill('SIGKILL');
    assert.notEqual(exit, 'hung', `gantry run did not stop on SIGTERM: ${run.output()}`);
    assert.notEqual((exit as { code: number | null }).code, 0);
    assert.deepEqual(await leftovers(g.root), []);
  });
});
