import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from '../../src/dockerfile/parser/index.ts';
import { changeOneFile, fileSizes, makeCopyContext } from './copy-context.ts';
import { goSeedDockerfile } from './go-seed.ts';
import { manyStepsDockerfile } from './many-steps.ts';
import { parallelStagesDockerfile } from './parallel-stages.ts';
import { runStepsDockerfile } from './run-steps.ts';

function keywords(text: string): string[] {
  return parse(text).children.map((i) => i.keyword.toUpperCase());
}

test('many-steps: 60 instructions, 25 of them RUN, one FROM first', () => {
  const k = keywords(manyStepsDockerfile('reg/busybox'));
  assert.equal(k.length, 60);
  assert.equal(k.filter((x) => x === 'RUN').length, 25);
  assert.equal(k[0], 'FROM');
  assert.equal(k.filter((x) => x === 'FROM').length, 1);
});

test('parallel-stages: six CPU stages, an unused one, a final stage copying from the six', () => {
  const text = parallelStagesDockerfile('reg/busybox', 1000);
  const froms = text.split('\n').filter((l) => l.startsWith('FROM '));
  assert.deepEqual(
    froms.map((l) => l.split(' AS ')[1]),
    ['cpu1', 'cpu2', 'cpu3', 'cpu4', 'cpu5', 'cpu6', 'unused', 'final'],
  );
  assert.equal((text.match(/COPY --from=cpu\d /g) ?? []).length, 6);
  assert.doesNotMatch(text, /--from=unused/);
  assert.equal(keywords(text).length, 7 * 2 + 1 + 6); // 7 FROM+RUN pairs, FROM final, 6 COPY
});

test('go-seed: the two image names point at the registry', () => {
  const seed =
    'FROM golang AS builder\nRUN go build\nFROM scratch\nCOPY --from=busybox /bin/busybox /busybox\n';
  const out = goSeedDockerfile(seed, {
    busybox: 'r:1/bench/busybox:latest',
    golang: 'r:1/bench/golang:latest',
  });
  assert.match(out, /^FROM r:1\/bench\/golang:latest AS builder$/m);
  assert.match(out, /COPY --from=r:1\/bench\/busybox:latest \/bin\/busybox/);
  assert.match(out, /^FROM scratch$/m);
});

test('run-steps: FROM and N RUNs', () => {
  assert.deepEqual(keywords(runStepsDockerfile('b', 3)), ['FROM', 'RUN', 'RUN', 'RUN']);
});

test('copy-context: sizes add up to the budget; the tree has every file; one file changes', async () => {
  const shape = { files: 300, bytes: 3_000_000, seed: 't' };
  const sizes = fileSizes(shape);
  assert.equal(sizes.length, 300);
  assert.equal(
    sizes.reduce((a, b) => a + b, 0),
    3_000_000,
  );
  assert.deepEqual(fileSizes(shape), sizes, 'deterministic');
  const dir = await mkdtemp(join(tmpdir(), 'bench-ctx-'));
  try {
    const ctx = join(dir, 'ctx');
    const small = await makeCopyContext(ctx, shape, 'reg/busybox');
    const files = (await readdir(ctx, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
    assert.equal(files.length, 301); // + Dockerfile
    assert.equal(await readFile(join(ctx, 'Dockerfile'), 'utf8'), 'FROM reg/busybox\nCOPY . /app\n');
    const before = await readFile(join(ctx, small));
    assert.ok(before.length < 4096);
    const mtime = (await stat(join(ctx, 'Dockerfile'))).mtimeMs;
    await makeCopyContext(ctx, shape, 'reg/busybox'); // same shape: files kept
    assert.deepEqual(await readFile(join(ctx, small)), before);
    await changeOneFile({ contextDir: ctx, dockerfile: '' }, small, 'n1');
    const after = await readFile(join(ctx, small));
    assert.notDeepEqual(after, before);
    assert.ok(after.toString('latin1').startsWith('changed n1\n'));
    assert.ok(mtime > 0);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
