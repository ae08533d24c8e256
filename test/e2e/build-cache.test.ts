/**
 * Issue 6: the multi-stage engine and its cache. Each RUN writes a random value into the image,
 * so an unchanged layer digest proves the step did not run again. Every gantry invocation is a
 * new process, so every hit here is a cache that survived a restart.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  busyboxWorkspace,
  type Gantry,
  runSkipReason,
  stepOutcomes,
  writeTree,
} from './fixtures/build-helpers.ts';

const skip = runSkipReason();

let work: { dir: string; cleanup: () => Promise<void> };
let g: Gantry;
let ctx: string;

const RANDOM = 'cat /proc/sys/kernel/random/uuid';
const DOCKERFILE = `FROM busybox AS base
RUN ${RANDOM} > /stamp-base
COPY a.txt /a.txt
RUN ${RANDOM} > /stamp-after-a
ARG LATE
RUN echo "late=$LATE" > /late && ${RANDOM} >> /late
COPY b.txt /b.txt

FROM busybox AS broken
RUN exit 1

FROM base AS final
RUN ${RANDOM} > /stamp-final
`;

/** `gantry build --progress=plain` with extra flags; returns each step's text and outcome. */
function build(args: string[] = [], file?: string) {
  const r = g.ok([
    'build',
    '--progress=plain',
    '-t',
    'cache:latest',
    ...(file ? ['-f', join(ctx, file)] : []),
    ...args,
    ctx,
  ]);
  const steps = stepOutcomes(r.stderr);
  return { steps, stderr: r.stderr, layers: g.inspect('cache:latest').manifest.layers.map((l) => l.digest) };
}

const texts = (steps: { text: string; outcome: string }[], outcome: string) =>
  steps.filter((s) => s.outcome === outcome).map((s) => s.text.split(' ').slice(0, 2).join(' '));

describe('issue 6: multi-stage engine and cache', { skip }, () => {
  let first: ReturnType<typeof build>;
  before(async () => {
    ({ work, g } = await busyboxWorkspace('cache'));
    ctx = join(work.dir, 'ctx');
    await writeTree(ctx, {
      Dockerfile: DOCKERFILE,
      'a.txt': 'a1\n',
      'b.txt': 'b1\n',
      'ignored.txt': 'i1\n',
      'unrelated.txt': 'u1\n',
      '.dockerignore': 'ignored.txt\n',
      // Another Dockerfile that starts with the same steps.
      'Dockerfile.same': `FROM busybox\nRUN ${RANDOM} > /stamp-base\nCOPY a.txt /a.txt\nENV OTHER=1\n`,
    });
    first = build();
  });
  after(async () => {
    await work?.cleanup();
  });

  test('first build runs every step of the needed stages; the unused stage with RUN exit 1 is skipped', () => {
    assert.deepEqual(texts(first.steps, 'DONE'), [
      'FROM busybox',
      'RUN cat',
      'COPY a.txt',
      'RUN cat',
      'RUN echo',
      'COPY b.txt',
      'RUN cat',
    ]);
    assert.equal(texts(first.steps, 'CACHED').length, 0);
    assert.ok(!first.stderr.includes('exit 1'), 'the broken stage never starts');
  });

  test('an unchanged rebuild is all CACHED and gives the same layers', () => {
    const r = build();
    assert.deepEqual(
      r.steps.filter((s) => !s.text.startsWith('FROM')).map((s) => s.outcome),
      ['CACHED', 'CACHED', 'CACHED', 'CACHED', 'CACHED', 'CACHED'],
    );
    assert.deepEqual(r.layers, first.layers);
  });

  test('the size summary ends plain progress: the final image, then the stages it used', () => {
    const r = build();
    const tail = r.stderr.slice(r.stderr.indexOf('\nsize:\n') + 1).split('\n');
    assert.equal(tail[0], 'size:');
    assert.match(tail[1] ?? '', /^ {2}final \(image\) +\d+(\.\d+)? MB +7 layers$/);
    assert.match(tail[2] ?? '', /^ {2}base +\d+(\.\d+)? MB +6 layers$/);
  });

  test('a change in an ignored or uncopied file keeps everything CACHED', async () => {
    await writeFile(join(ctx, 'ignored.txt'), 'i2\n');
    await writeFile(join(ctx, 'unrelated.txt'), 'u2\n');
    const r = build();
    assert.equal(texts(r.steps, 'DONE').filter((t) => t !== 'FROM busybox').length, 0);
    assert.deepEqual(r.layers, first.layers);
  });

  test('changing a copied file reruns from that COPY on, not before', async () => {
    await writeFile(join(ctx, 'a.txt'), 'a2\n');
    try {
      const r = build();
      assert.deepEqual(texts(r.steps, 'CACHED'), ['RUN cat']);
      assert.deepEqual(texts(r.steps, 'DONE'), [
        'FROM busybox',
        'COPY a.txt',
        'RUN cat',
        'RUN echo',
        'COPY b.txt',
        'RUN cat',
      ]);
      assert.equal(r.layers[1], first.layers[1], 'the RUN before the COPY kept its layer');
      assert.notEqual(r.layers[3], first.layers[3], 'the RUN after the COPY ran again');
    } finally {
      await writeFile(join(ctx, 'a.txt'), 'a1\n');
    }
    // Back to the old content: the old cache entries still serve it.
    assert.deepEqual(build().layers, first.layers);
  });

  test('a build arg reruns only the steps that can see it', () => {
    const r = build(['--build-arg', 'LATE=x']);
    assert.deepEqual(texts(r.steps, 'CACHED'), ['RUN cat', 'COPY a.txt', 'RUN cat']);
    assert.deepEqual(texts(r.steps, 'DONE'), ['FROM busybox', 'RUN echo', 'COPY b.txt', 'RUN cat']);
    assert.deepEqual(r.layers.slice(0, 4), first.layers.slice(0, 4));
    assert.notEqual(r.layers[4], first.layers[4]);
    // A build arg nothing declares changes nothing (and is reported as unused).
    const u = build(['--build-arg', 'UNUSED=1']);
    assert.deepEqual(u.layers, first.layers);
    assert.match(u.stderr, /build-args \[UNUSED\] were not consumed/);
  });

  test('--no-cache reruns everything; --no-cache-filter only the named stage', () => {
    const all = build(['--no-cache']);
    assert.equal(texts(all.steps, 'CACHED').length, 0);
    assert.equal(all.steps.filter((s) => s.outcome === 'DONE').length, 7);
    // The RUN layers differ (they ran again); COPY b.txt made the same bytes again (a.txt's
    // mtime changed in an earlier test, and the layer keeps mtimes).
    for (const i of [1, 3, 4, 6]) assert.notEqual(all.layers[i], first.layers[i]);
    for (const i of [0, 5]) assert.equal(all.layers[i], first.layers[i]);
    // The --no-cache results are cached in turn.
    const after = build();
    assert.deepEqual(after.layers, all.layers);
    const filtered = build(['--no-cache-filter', 'FINAL']);
    assert.deepEqual(texts(filtered.steps, 'DONE'), ['FROM busybox', 'RUN cat']);
    assert.equal(texts(filtered.steps, 'CACHED').length, 5);
    assert.deepEqual(filtered.layers.slice(0, 6), all.layers.slice(0, 6));
    assert.notEqual(filtered.layers[6], all.layers[6]);
  });

  test('a second Dockerfile with the same first steps shares their cache', () => {
    const base = build(['--target', 'base']);
    const r = build([], 'Dockerfile.same');
    assert.deepEqual(texts(r.steps, 'CACHED'), ['RUN cat', 'COPY a.txt']);
    assert.deepEqual(r.layers, base.layers.slice(0, 3));
  });

  test('--target is case-insensitive; a wrong one gets a did-you-mean', () => {
    const r = build(['--target', 'BASE']);
    assert.equal(r.layers.length, 6);
    const bad = g.run(['build', '--progress=plain', '--target', 'fnal', ctx]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /fnal/);
    assert.match(bad.stderr, /did you mean "?final"?/i);
  });

  test('two independent stages run at the same time', async () => {
    // Each RUN creates its file in a shared cache mount and waits for the other's: this only
    // finishes when both run concurrently; otherwise one gives up after 30 s and fails the build.
    const wait = (mine: string, other: string) =>
      `RUN --mount=type=cache,id=x,target=/x touch /x/${mine}-$TOKEN && i=0 && while [ ! -e /x/${other}-$TOKEN ]; do sleep 0.1; i=$((i+1)); if [ $i -gt 300 ]; then echo timed out waiting for ${other}; exit 7; fi; done`;
    await writeFile(
      join(ctx, 'Dockerfile.parallel'),
      `FROM busybox AS left\nARG TOKEN\n${wait('left', 'right')}\n\nFROM busybox AS right\nARG TOKEN\n${wait('right', 'left')}\n\nFROM scratch\nCOPY --from=left /etc/passwd /l\nCOPY --from=right /etc/passwd /r\n`,
    );
    const token = String(process.hrtime.bigint());
    const r = await g.runAsync([
      'build',
      '--progress=plain',
      '--jobs',
      '2',
      '--build-arg',
      `TOKEN=${token}`,
      '-f',
      join(ctx, 'Dockerfile.parallel'),
      ctx,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      stepOutcomes(r.stderr).filter((s) => s.text.startsWith('RUN') && s.outcome === 'DONE').length,
      2,
    );
  });
});
