import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileError } from '../../errors/dockerfile-error.ts';
import { parse } from '../parser/index.ts';
import { parseStages } from './parse-stages.ts';

describe('parseStages', () => {
  it('splits stages, keeps meta args and lower-cases names', () => {
    const { stages, metaArgs } = parseStages(
      parse('ARG A=1\nARG B\n# Build compiles\nFROM x AS Build\nRUN a\nCOPY b c\nFROM build\nENV d=e\n'),
    );
    assert.deepEqual(
      metaArgs.map((m) => m.args.map((a) => a.key)),
      [['A'], ['B']],
    );
    assert.deepEqual(
      stages.map((s) => [s.index, s.name, s.from.image, s.instructions.map((i) => i.kind)]),
      [
        [0, 'build', 'x', ['run', 'copy']],
        [1, undefined, 'build', ['env']],
      ],
    );
    assert.equal(stages[0]!.range.start.line, 4);
  });

  it('reads doc comments for stages and ARGs', () => {
    const { stages, metaArgs } = parseStages(
      parse(
        '# foo sets foo\nARG foo=bar\n\n# base defines first stage\nFROM busybox AS base\n# bar defines bar\nARG bar\n',
      ),
    );
    assert.equal(stages[0]!.docComment, 'defines first stage');
    assert.equal(metaArgs[0]!.args[0]!.docComment, 'sets foo');
    const arg = stages[0]!.instructions[0]!;
    assert.equal(arg.kind === 'arg' && arg.args[0]!.docComment, 'defines bar');
  });

  const errors: [string, string, string, number][] = [
    ['RUN x\nFROM a', 'E_DOCKERFILE_NO_STAGE', 'no build stage in current context', 1],
    ['ARG a\n', 'E_DOCKERFILE_NO_STAGE', 'dockerfile contains no stages to build', 1],
    [
      'FROM a\nFOO x',
      'E_DOCKERFILE_UNKNOWN_INSTRUCTION',
      'dockerfile parse error on line 2: unknown instruction: FOO (did you mean FROM?)',
      2,
    ],
    [
      'FROM a\n\nCOPY --bad=1 a b',
      'E_DOCKERFILE_FLAG',
      'dockerfile parse error on line 3: unknown flag: --bad',
      3,
    ],
  ];
  for (const [text, code, message, line] of errors) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.throws(
        () => parseStages(parse(text)),
        (e) =>
          e instanceof DockerfileError &&
          e.code === code &&
          e.message === message &&
          e.ranges[0]?.start.line === line,
      );
    });
  }

  it('accepts duplicate and reserved names unless strict (BuildKit only warns)', () => {
    const text = 'FROM a AS x\nFROM b AS x\nFROM c AS scratch\n';
    assert.equal(parseStages(parse(text)).stages.length, 3);
    assert.throws(() => parseStages(parse(text), { strictStageNames: true }), {
      code: 'E_DOCKERFILE_STAGE_NAME',
      message: 'duplicate stage name "x"',
    });
    assert.throws(() => parseStages(parse('FROM c AS context\n'), { strictStageNames: true }), {
      code: 'E_DOCKERFILE_STAGE_NAME',
      message: 'stage name "context" is reserved',
    });
  });
});
