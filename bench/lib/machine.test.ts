import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from './bench-env.ts';
import { gantryVersion } from './machine.ts';

test('the measured gantry is named by the VERSION beside its bin/, the checkout commit, or its path', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-version-'));
  try {
    await mkdir(join(dir, 'copy/bin'), { recursive: true });
    await writeFile(join(dir, 'copy/VERSION'), 'abc1234 (+0 uncommitted files in src/), built X\n');
    assert.equal(
      gantryVersion(join(dir, 'copy/bin/gantry')),
      'abc1234 (+0 uncommitted files in src/), built X',
    );
    assert.match(gantryVersion(join(REPO, 'bin/gantry')), /^[0-9a-f]{7,} \(the checkout, /);
    assert.equal(
      gantryVersion(join(dir, 'other/bin/gantry')),
      `unknown build at ${join(dir, 'other/bin/gantry')}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
