import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runStep } from '../../src/exec/run-step.ts';
import { findExecutable } from '../../src/exec/runtime-binary.ts';
import { execSkipReason, makeSandbox, mountsBelow, type Sandbox } from './fixtures/exec-sandbox.ts';

const skip = execSkipReason();
const FIXTURES = join(import.meta.dirname, 'fixtures');

function runChild(args: string[], input: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(FIXTURES, 'run-image-child.ts'), ...args],
      {
        stdio: ['pipe', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
    child.stdin.end(input);
  });
}

describe('gantry run core: runImageRootfs', { skip }, () => {
  let sb: Sandbox;
  before(async () => {
    sb = await makeSandbox();
  });
  after(async () => {
    await sb.dispose();
  });

  test("the image's Entrypoint, Cmd, User, WorkingDir and Env; the scratch dir is removed", async () => {
    const scratch = join(sb.base, 'run-1');
    const r = await runChild([sb.lower, scratch], '');
    assert.equal(r.code, 0);
    assert.equal(r.out, 'hello 1000 /w hi\n');
    assert.deepEqual(mountsBelow(sb.base), []);
    assert.equal(existsSync(scratch), false);
  });

  test('overrides: the command and env; stdin reaches the container; the exit code comes back', async () => {
    const r = await runChild(
      [sb.lower, join(sb.base, 'run-2'), 'read x; echo "got $x $GREETING"; exit 4'],
      'typed\n',
    );
    assert.equal(r.code, 4);
    assert.equal(r.out, 'got typed override\n');
  });
});

const crun = findExecutable('crun');
describe('runStep with crun', {
  skip:
    skip ??
    (crun === undefined
      ? 'crun is not installed here (it fails on this host); unit tests check --runtime picks the binary'
      : undefined),
}, () => {
  test('runs a step with --runtime crun', async () => {
    const sb = await makeSandbox();
    try {
      const r = await runStep({
        runtime: 'crun',
        lowerDirs: [sb.lower],
        scratchDir: await sb.scratch(),
        process: { args: ['/bin/sh', '-c', 'echo via-crun'], env: [], cwd: '/', user: '' },
      });
      assert.deepEqual(r.outputTail, ['via-crun']);
    } finally {
      await sb.dispose();
    }
  });
});
