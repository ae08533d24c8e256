import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from '../parser/index.ts';
import { findStageIndex, resolveTarget } from './find-stage.ts';
import { parseStages } from './parse-stages.ts';

const { stages } = parseStages(parse('FROM a AS build\nFROM b AS test\nFROM c\nFROM d AS Build\n'));

describe('findStageIndex', () => {
  const table: [string, number | undefined][] = [
    ['0', 0],
    ['2', 2],
    ['+1', 1],
    ['test', 1],
    ['TEST', 1],
    ['build', 3],
    ['alpine', undefined],
    ['', undefined],
  ];
  for (const [ref, want] of table)
    it(JSON.stringify(ref), () => assert.equal(findStageIndex(stages, ref), want));
  for (const ref of ['4', '-1']) {
    it(`rejects index ${ref}`, () =>
      assert.throws(() => findStageIndex(stages, ref), {
        code: 'E_STAGE_INDEX',
        message: `invalid stage index ${Number(ref)}`,
      }));
  }
});

describe('resolveTarget', () => {
  it('defaults to the last stage', () => {
    assert.equal(resolveTarget(stages), 3);
    assert.equal(resolveTarget(stages, ''), 3);
  });
  it('finds names case-insensitively', () => assert.equal(resolveTarget(stages, 'Test'), 1));
  it('suggests the closest name and lists the stages', () => {
    assert.throws(
      () => resolveTarget(stages, 'tset'),
      (e: unknown) => {
        const err = e as { code: string; message: string; hint: string };
        return (
          err.code === 'E_STAGE_NOT_FOUND' &&
          err.message === 'target stage "tset" could not be found (did you mean test?)' &&
          err.hint.includes('stages: build, test, build')
        );
      },
    );
    assert.throws(() => resolveTarget(stages, 'zzzzzz'), {
      message: 'target stage "zzzzzz" could not be found',
    });
  });
});
