import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from '../dockerfile/parser/index.ts';
import { parseStages } from '../dockerfile/stages/index.ts';
import { DockerfileError } from '../errors/dockerfile-error.ts';
import { planStages } from './plan-stages.ts';

const amd64 = { os: 'linux', architecture: 'amd64' };

function plan(text: string, opts: { target?: string; buildArgs?: Record<string, string> } = {}) {
  const { stages, metaArgs } = parseStages(parse(text));
  return planStages({
    stages,
    metaArgs,
    buildArgs: opts.buildArgs ?? {},
    target: opts.target,
    buildPlatform: amd64,
    targetPlatform: amd64,
  });
}

function fails(text: string, code: string, message: RegExp | string, lines?: number[]) {
  assert.throws(
    () => plan(text),
    (e) => {
      assert.ok(e instanceof DockerfileError, `expected DockerfileError, got ${String(e)}`);
      assert.equal(e.code, code);
      if (typeof message === 'string') assert.equal(e.message, message);
      else assert.match(e.message, message);
      if (lines)
        assert.deepEqual(
          e.ranges.map((r) => r.start.line),
          lines,
        );
      return true;
    },
  );
}

test('FROM resolves earlier stages by name, scratch, or an image', () => {
  const p = plan(
    'FROM golang:1.22 AS build\nRUN x\nFROM build AS test\nFROM scratch\nCOPY --from=build /a /a\n',
  );
  assert.deepEqual(
    p.stages.map((s) => s.base),
    [{ kind: 'image', ref: 'golang:1.22' }, { kind: 'stage', index: 0 }, { kind: 'scratch' }],
  );
  assert.equal(p.target, 2);
  assert.deepEqual(
    p.stages.map((s) => s.reachable),
    [true, false, true],
  );
  assert.deepEqual(p.stages[2]!.deps, [0]);
});

test('a FROM naming a later stage is an image reference (BuildKit only looks backwards)', () => {
  const p = plan('FROM later\nFROM busybox AS later\n');
  assert.deepEqual(p.stages[0]!.base, { kind: 'image', ref: 'later' });
});

test('COPY --from takes an index, a stage name (any case) or an image', () => {
  const p = plan(
    'FROM a AS One\nFROM b\nCOPY --from=0 x y\nCOPY --from=ONE x y\nCOPY --from=nginx:latest x y\n',
  );
  assert.deepEqual(p.stages[1]!.sources.get(0), [{ kind: 'stage', index: 0 }]);
  assert.deepEqual(p.stages[1]!.sources.get(1), [{ kind: 'stage', index: 0 }]);
  assert.deepEqual(p.stages[1]!.sources.get(2), [{ kind: 'image', ref: 'nginx:latest' }]);
});

test('RUN --mount from= creates a dependency', () => {
  const p = plan('FROM a AS deps\nFROM b\nRUN --mount=type=bind,from=deps,target=/d true\n');
  assert.deepEqual(p.stages[1]!.deps, [0]);
  assert.equal(p.stages[0]!.reachable, true);
});

test('meta args expand FROM; build args override their defaults', () => {
  const text = 'ARG TAG=1.0\nARG IMG=base:${TAG}\nFROM ${IMG}\n';
  assert.equal(plan(text).stages[0]!.baseName, 'base:1.0');
  assert.equal(plan(text, { buildArgs: { TAG: '2.0' } }).stages[0]!.baseName, 'base:2.0');
  assert.equal(plan(text, { buildArgs: { IMG: 'other' } }).stages[0]!.baseName, 'other');
});

test('automatic platform args are visible in FROM', () => {
  assert.equal(plan('FROM img-$TARGETARCH-$BUILDOS\n').stages[0]!.baseName, 'img-amd64-linux');
});

test('--target is case-insensitive and prunes what the target does not need', () => {
  const p = plan('FROM scratch AS foo\nENV FOO bar\nFROM foo\nCOPY --from=foo f1 /\nCOPY --from=0 f2 /\n', {
    target: 'Foo',
  });
  assert.equal(p.target, 0);
  assert.deepEqual(
    p.stages.map((s) => s.reachable),
    [true, false],
  );
});

test('a blank base name is an error at the FROM line', () => {
  fails('FROM "" AS foo\n', 'E_PLAN_BASE_BLANK', /should not be blank/, [1]);
  fails(
    'FROM scratch\nFROM ${BLANK} AS foo\n',
    'E_PLAN_BASE_BLANK',
    'base name (${BLANK}) should not be blank',
    [2],
  );
});

test('an out-of-range stage index is rejected', () => {
  fails('FROM a\nCOPY --from=3 x y\n', 'E_PLAN_STAGE_INDEX', 'invalid stage index 3', [2]);
});

test('cycles are rejected with the stage name and every COPY line that forms the cycle', () => {
  fails(
    'FROM busybox AS stage0\nCOPY --from=stage0 f1 /sub/\n',
    'E_PLAN_CYCLE',
    'circular dependency detected on stage: stage0',
    [2],
  );
  fails(
    'FROM busybox AS stage0\nCOPY --from=stage2 f1 /sub/\nFROM busybox AS stage1\nCOPY --from=stage0 f2 /sub/\nFROM busybox AS stage2\nCOPY --from=stage1 f2 /sub/\n',
    'E_PLAN_CYCLE',
    'circular dependency detected on stage: stage0',
    [2, 6, 4],
  );
});

test('copying from a stage defined later is an error only when that stage is built', () => {
  fails(
    'FROM a AS first\nCOPY --from=second x y\nFROM b AS second\nFROM first\n',
    'E_PLAN_STAGE_ORDER',
    /cannot copy from stage "second", it needs to be defined before current stage "first"/,
  );
  assert.equal(plan('FROM a AS first\nCOPY --from=second x y\nFROM b AS second\n').target, 1);
});

test('variables are not allowed in --from', () => {
  fails(
    'ARG X=a\nFROM a\nCOPY --from=$X x y\n',
    'E_PLAN_FROM_VARIABLE',
    /variable expansion is not supported for --from/,
  );
});

test('build args that no ARG declares are reported; predefined ones are not', () => {
  const p = plan('FROM a\nARG USED\n', { buildArgs: { USED: '1', NOPE: '2', HTTP_PROXY: 'x' } });
  assert.deepEqual(p.unusedBuildArgs, ['NOPE']);
});

test('an unknown --target names the stages and suggests the closest', () => {
  assert.throws(() => plan('FROM a AS builder\nFROM b AS final\n', { target: 'buidler' }), /builder/);
});
