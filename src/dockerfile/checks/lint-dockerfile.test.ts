import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from '../parser/index.ts';
import { parseStages } from '../stages/parse-stages.ts';
import { type LintInput, lintDockerfile } from './lint-dockerfile.ts';

function lint(text: string, more: Partial<LintInput> = {}) {
  const parsed = parse(text);
  const { stages, metaArgs } = parseStages(parsed);
  return lintDockerfile({ parsed, stages, metaArgs, buildArgs: {}, ...more });
}

/** `RULE@line: message` for each warning. */
function brief(text: string, more: Partial<LintInput> = {}): string[] {
  return lint(text, more).warnings.map((w) => `${w.rule}@${w.ranges[0]?.start.line}: ${w.message}`);
}

describe('lintDockerfile', () => {
  const table: [string, string, string[]][] = [
    ['clean file', 'FROM scratch\nENV A=1\nCOPY $A /x\nCMD ["x"]\n', []],
    [
      'StageNameCasing',
      'FROM scratch AS Build\n',
      ["StageNameCasing@1: Stage name 'Build' should be lowercase"],
    ],
    [
      'FromAsCasing',
      'FROM scratch as build\n',
      ["FromAsCasing@1: 'as' and 'FROM' keywords' casing do not match"],
    ],
    [
      'FromAsCasing (lower from)',
      'from scratch AS build\n',
      ["FromAsCasing@1: 'AS' and 'from' keywords' casing do not match"],
    ],
    [
      'DuplicateStageName',
      'FROM scratch AS a\nFROM scratch AS a\n',
      ['DuplicateStageName@2: Duplicate stage name "a", stage names should be unique'],
    ],
    [
      'ReservedStageName',
      'FROM scratch AS context\n',
      ['ReservedStageName@1: Stage name should not use the same name as reserved stage "context"'],
    ],
    [
      'MaintainerDeprecated',
      'FROM scratch\nMAINTAINER me\n',
      ['MaintainerDeprecated@2: Maintainer instruction is deprecated in favor of using label'],
    ],
    [
      'JSONArgsRecommended',
      'FROM scratch\nENTRYPOINT run me\n',
      [
        'JSONArgsRecommended@2: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals',
      ],
    ],
    ['JSONArgsRecommended silenced by SHELL', 'FROM scratch\nSHELL ["/bin/sh", "-c"]\nCMD run me\n', []],
    ['SHELL carries over to a child stage', 'FROM scratch AS a\nSHELL ["sh", "-c"]\nFROM a\nCMD x\n', []],
    [
      'ConsistentInstructionCasing',
      'FROM scratch\nrun x\nCOPY a b\nWorkdir /x\n',
      [
        "ConsistentInstructionCasing@2: Command 'run' should match the case of the command majority (uppercase)",
        "ConsistentInstructionCasing@4: Command 'Workdir' should match the case of the command majority (uppercase)",
      ],
    ],
    [
      'WorkdirRelativePath only before an absolute WORKDIR',
      'FROM scratch\nWORKDIR app\nWORKDIR sub\n',
      ['WorkdirRelativePath@2: Relative workdir "app" can have unexpected results if the base image changes'],
    ],
    ['WorkdirRelativePath after absolute', 'FROM scratch\nWORKDIR /app\nWORKDIR sub\n', []],
    [
      'MultipleInstructionsDisallowed points at the earlier one',
      'FROM scratch\nCMD ["a"]\nHEALTHCHECK NONE\nCMD ["b"]\nHEALTHCHECK NONE\n',
      [
        'MultipleInstructionsDisallowed@2: Multiple CMD instructions should not be used in the same stage because only the last one will be used',
        'MultipleInstructionsDisallowed@3: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used',
      ],
    ],
    [
      'LegacyKeyValueFormat',
      'FROM scratch\nENV a b\nLABEL c d\n',
      [
        'LegacyKeyValueFormat@2: "ENV key=value" should be used instead of legacy "ENV key value" format',
        'LegacyKeyValueFormat@3: "LABEL key=value" should be used instead of legacy "LABEL key value" format',
      ],
    ],
    [
      'UndefinedVar with a suggestion',
      'FROM scratch\nENV PATH=$PAHT:/x\n',
      ["UndefinedVar@2: Usage of undefined variable '$PAHT' (did you mean $PATH?)"],
    ],
    [
      'UndefinedVar: same-instruction ENV is not visible yet',
      'FROM scratch\nENV A=1 B=$A\n',
      ["UndefinedVar@2: Usage of undefined variable '$A'"],
    ],
    ['UndefinedVar: ARG without value counts as declared', 'FROM scratch\nARG foo\nCOPY $foo .\n', []],
    [
      'UndefinedVar: ARG default is checked',
      'FROM scratch\nARG VERSION=$foo\n',
      ["UndefinedVar@2: Usage of undefined variable '$foo'"],
    ],
    [
      "UndefinedVar: RUN and CMD are the shell's business",
      'FROM scratch\nRUN echo $nope\nCMD echo $nope\n',
      [
        'JSONArgsRecommended@3: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals',
      ],
    ],
    [
      'UndefinedVar: RUN --mount values are checked',
      'FROM scratch\nRUN --mount=type=cache,target=$C true\n',
      ["UndefinedVar@2: Usage of undefined variable '$C'"],
    ],
    [
      'UndefinedVar: global ARGs are invisible until redeclared',
      'ARG G=1\nFROM scratch\nCOPY $G /a\nARG G\nCOPY $G /b\n',
      ["UndefinedVar@3: Usage of undefined variable '$G'"],
    ],
    [
      'UndefinedVar: stage inherits ENV and ARG of its base stage',
      'FROM scratch AS a\nENV E=1\nARG X\nFROM a\nCOPY $E$X /\n',
      [],
    ],
    [
      'UndefinedVar: not reported on an image with unknown ENV',
      'FROM python\nARG VERSION=$PYTHON_VERSION\n',
      [],
    ],
    [
      'UndefinedVar: unreached stages are not checked',
      'FROM scratch AS unused\nCOPY $nope /\nFROM scratch\n',
      [],
    ],
    [
      'UndefinedVar: heredoc bodies of COPY are checked',
      'FROM scratch\nCOPY <<EOF /x\n$nope\nEOF\n',
      ["UndefinedVar@2: Usage of undefined variable '$nope'"],
    ],
    [
      'UndefinedArgInFrom',
      'FROM node:22$VARIANT AS js\n',
      ["UndefinedArgInFrom@1: FROM argument 'VARIANT' is not declared"],
    ],
    [
      'UndefinedArgInFrom suggests',
      'FROM --platform=$BUILDPLATFROM scratch\n',
      ["UndefinedArgInFrom@1: FROM argument 'BUILDPLATFROM' is not declared (did you mean BUILDPLATFORM?)"],
    ],
    ['UndefinedArgInFrom: declared meta ARG without value is fine', 'ARG V\nFROM node:22$V\n', []],
    [
      'RedundantTargetPlatform',
      'FROM --platform=$TARGETPLATFORM scratch\n',
      [
        'RedundantTargetPlatform@1: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior',
      ],
    ],
    [
      'FromPlatformFlagConstDisallowed',
      'FROM --platform=linux/arm64 scratch AS build\n',
      ['FromPlatformFlagConstDisallowed@1: FROM --platform flag should not use constant value "linux/arm64"'],
    ],
    [
      'FromPlatformFlagConstDisallowed: stage named after the arch',
      'FROM --platform=linux/arm64 scratch AS build-arm64\n',
      [],
    ],
    [
      'SecretsUsedInArgOrEnv',
      'FROM scratch\nARG GITHUB_TOKEN\nENV public_key=1 AWS_SECRET=2\n',
      [
        'SecretsUsedInArgOrEnv@2: Do not use ARG or ENV instructions for sensitive data (ARG "GITHUB_TOKEN")',
        'SecretsUsedInArgOrEnv@3: Do not use ARG or ENV instructions for sensitive data (ENV "AWS_SECRET")',
      ],
    ],
    [
      'Expose checks',
      'FROM scratch\nEXPOSE 80/TCP 127.0.0.1:81:81\n',
      [
        "ExposeInvalidFormat@2: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:81:81'",
        "ExposeProtoCasing@2: Defined protocol '80/TCP' in EXPOSE instruction should be lowercase",
      ],
    ],
    [
      'skip via directive',
      '# check=skip=JSONArgsRecommended,MaintainerDeprecated\nFROM scratch\nMAINTAINER x\nCMD x\n',
      [],
    ],
    [
      'skip via a comment above the instruction',
      'FROM scratch\n# check=skip=JSONArgsRecommended\nCMD x\nENTRYPOINT y\n',
      [
        'JSONArgsRecommended@4: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals',
      ],
    ],
    ['skip=all', '# check=skip=all\nFROM scratch AS X\nMAINTAINER m\n', []],
    [
      'experimental rule needs enabling',
      '# check=experimental=InvalidDefinitionDescription\n\n# this is the base\nFROM scratch AS base\n',
      ['InvalidDefinitionDescription@4: Comment for FROM should follow the format: `# base <description>`'],
    ],
  ];
  for (const [name, text, want] of table) it(name, () => assert.deepEqual(brief(text), want));

  it('includes the rule URL', () => {
    assert.equal(
      lint('FROM scratch\nMAINTAINER x\n').warnings[0]?.url,
      'https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/',
    );
  });

  it('uses build args for ARG values and FROM', () => {
    assert.deepEqual(
      brief('ARG B=scratch\nFROM $B\nARG V\nENV X=$V\n', { buildArgs: { B: 'busybox', V: '1' } }),
      [],
    );
  });

  const defaults: [string, string[]][] = [
    [
      `ARG TAG\nFROM busybox:\${TAG}\n`,
      [
        `InvalidDefaultArgInFrom@2: Default value for ARG busybox:\${TAG} results in empty or invalid base image name`,
      ],
    ],
    [`ARG TAG=latest\nFROM busybox:\${TAG}\n`, []],
    [`ARG VARIANT\nFROM busybox:stable\${VARIANT}\n`, []],
    [`ARG TAG\nFROM alpine:\${TAG:-3.14}\n`, []],
    [
      'ARG B\nFROM $B\n',
      ['InvalidDefaultArgInFrom@2: Default value for ARG $B results in empty or invalid base image name'],
    ],
  ];
  for (const [text, want] of defaults) {
    it(`InvalidDefaultArgInFrom: ${JSON.stringify(text)}`, () =>
      assert.deepEqual(brief(text, { buildArgs: { TAG: '1', B: 'x' } }), want));
  }

  it('uses a known image ENV for UndefinedVar', () => {
    const imageConfig = (image: string) => (image === 'python' ? { env: ['PYTHON_VERSION=3'] } : undefined);
    assert.deepEqual(
      brief('FROM python\nARG V=$PYTHON_VERSION $PY\n'.replace(' $PY', '\nENV A=$PYVER'), { imageConfig }),
      ["UndefinedVar@3: Usage of undefined variable '$PYVER'"],
    );
  });

  it('checks every stage with allStages', () => {
    assert.equal(
      brief('FROM scratch AS unused\nCOPY $nope /\nFROM scratch\n', { allStages: true }).length,
      1,
    );
  });

  it('follows the target and its dependencies', () => {
    const text =
      'FROM scratch AS a\nCOPY $x /\nFROM scratch AS b\nCOPY $y /\nFROM scratch AS c\nCOPY --from=a / /\n';
    assert.deepEqual(brief(text, { target: 'c' }), ["UndefinedVar@2: Usage of undefined variable '$x'"]);
    assert.deepEqual(brief(text, { target: 'b' }), ["UndefinedVar@4: Usage of undefined variable '$y'"]);
  });

  it("passes the parser's empty-continuation warnings through", () => {
    const r = lint('FROM scratch\nRUN a \\\n\n  b\n');
    assert.deepEqual(
      r.warnings.map((w) => [w.rule, w.message]),
      [['NoEmptyContinuation', 'Empty continuation line']],
    );
  });

  it('turns warnings into one error with error=true', () => {
    const r = lint('# check=error=true\nFROM scratch\nMAINTAINER x\nCMD x\n');
    assert.equal(r.warnings.length, 2);
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.code, 'E_DOCKERFILE_CHECK');
    assert.equal(
      r.errors[0]!.message,
      'lint violation found for rules: MaintainerDeprecated, JSONArgsRecommended',
    );
    assert.deepEqual(
      r.errors[0]!.ranges.map((x) => x.start.line),
      [3, 4],
    );
  });

  it('does not fail with error=true when nothing fires', () => {
    assert.deepEqual(lint('# check=error=true\nFROM scratch\n').errors, []);
  });

  it('reports bad check options as an error at the directive', () => {
    const r = lint('# check=skip\nFROM scratch\n');
    assert.equal(r.errors[0]?.code, 'E_CHECK_OPTIONS');
    assert.equal(r.errors[0]?.message, 'failed to parse check options: invalid check option "skip"');
    assert.equal(r.errors[0]?.ranges[0]?.start.line, 1);
  });

  it('lets CLI options replace the directive', () => {
    assert.deepEqual(
      brief('# check=skip=MaintainerDeprecated\nFROM scratch\nMAINTAINER x\n', { check: 'error=false' }),
      ['MaintainerDeprecated@3: Maintainer instruction is deprecated in favor of using label'],
    );
  });
});
