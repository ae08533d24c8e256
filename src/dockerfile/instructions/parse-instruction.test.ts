import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileError } from '../../errors/dockerfile-error.ts';
import { parse } from '../parser/index.ts';
import { parseInstruction } from './parse-instruction.ts';
import type { Instruction } from './types.ts';

function first(text: string): Instruction {
  return parseInstruction(parse(text).children[0]!);
}

/** Drops the common fields so tables can state only the typed ones. */
function typed(inst: Instruction): Record<string, unknown> {
  const { name: _n, code: _c, range: _r, node: _node, comments: _comments, ...rest } = inst;
  return rest;
}

describe('parseInstruction: typed fields', () => {
  const table: [string, Record<string, unknown>][] = [
    ['FROM alpine', { kind: 'from', image: 'alpine', docComment: '' }],
    [
      'FROM --platform=$BUILDPLATFORM golang:1 AS Build',
      { kind: 'from', image: 'golang:1', docComment: '', stageName: 'build', platform: '$BUILDPLATFORM' },
    ],
    [
      'RUN echo hi',
      {
        kind: 'run',
        cmdLine: ['echo hi'],
        files: [],
        shellForm: true,
        mounts: [],
        network: 'default',
        security: 'sandbox',
        devices: [],
        flagsUsed: [],
      },
    ],
    [
      'RUN ["a", "b"]',
      {
        kind: 'run',
        cmdLine: ['a', 'b'],
        files: [],
        shellForm: false,
        mounts: [],
        network: 'default',
        security: 'sandbox',
        devices: [],
        flagsUsed: [],
      },
    ],
    [
      'RUN --network=none --security=insecure --mount=type=cache,target=/c --device=x/y,required true',
      {
        kind: 'run',
        cmdLine: ['true'],
        files: [],
        shellForm: true,
        mounts: ['type=cache,target=/c'],
        network: 'none',
        security: 'insecure',
        devices: [{ name: 'x/y', required: true }],
        flagsUsed: ['network', 'security', 'mount', 'device'],
      },
    ],
    ['CMD', { kind: 'cmd', cmdLine: [], files: [], shellForm: true }],
    ['ENTRYPOINT ["/bin/app"]', { kind: 'entrypoint', cmdLine: ['/bin/app'], files: [], shellForm: false }],
    [
      'ENV A=1 B="2 3"',
      {
        kind: 'env',
        pairs: [
          { key: 'A', value: '1', noDelim: false },
          { key: 'B', value: '"2 3"', noDelim: false },
        ],
      },
    ],
    ['ENV A 1 2', { kind: 'env', pairs: [{ key: 'A', value: '1 2', noDelim: true }] }],
    ['LABEL a=b', { kind: 'label', pairs: [{ key: 'a', value: 'b', noDelim: false }] }],
    ['MAINTAINER me', { kind: 'maintainer', maintainer: 'me' }],
    ['EXPOSE 90 80/udp', { kind: 'expose', ports: ['80/udp', '90'] }],
    [
      'ADD --chown=1:2 --chmod=644 --link --keep-git-dir --checksum=sha256:x --unpack=false --exclude=*.md a b /d/',
      {
        kind: 'add',
        sources: ['a', 'b'],
        heredocSources: [],
        dest: '/d/',
        chown: '1:2',
        chmod: '644',
        link: true,
        exclude: ['*.md'],
        checksum: 'sha256:x',
        keepGitDir: true,
        unpack: false,
      },
    ],
    [
      'ADD a /d',
      {
        kind: 'add',
        sources: ['a'],
        heredocSources: [],
        dest: '/d',
        chown: '',
        chmod: '',
        link: false,
        exclude: [],
        checksum: '',
      },
    ],
    [
      'COPY --from=build --parents --exclude=a --exclude=b ["x y", "/d"]',
      {
        kind: 'copy',
        sources: ['x y'],
        heredocSources: [],
        dest: '/d',
        from: 'build',
        chown: '',
        chmod: '',
        link: false,
        exclude: ['a', 'b'],
        parents: true,
      },
    ],
    [
      'COPY <<-EOF /d\n\tx\nEOF',
      {
        kind: 'copy',
        sources: [],
        heredocSources: [{ path: 'EOF', data: 'x\n', expand: true }],
        dest: '/d',
        from: '',
        chown: '',
        chmod: '',
        link: false,
        exclude: [],
        parents: false,
      },
    ],
    ['VOLUME ["/a", " /b "]', { kind: 'volume', volumes: ['/a', '/b'] }],
    ['USER app:app', { kind: 'user', user: 'app:app' }],
    ['WORKDIR /app', { kind: 'workdir', path: '/app' }],
    [
      'ARG a b=2 c=',
      {
        kind: 'arg',
        args: [
          { key: 'a', docComment: '' },
          { key: 'b', value: '2', docComment: '' },
          { key: 'c', value: '', docComment: '' },
        ],
      },
    ],
    ['ONBUILD RUN make', { kind: 'onbuild', expression: 'RUN make' }],
    ['onbuild run <<EOF\nhi\nEOF', { kind: 'onbuild', expression: 'run <<EOF\nhi\nEOF' }],
    ['STOPSIGNAL SIGKILL', { kind: 'stopsignal', signal: 'SIGKILL' }],
    [
      'HEALTHCHECK NONE',
      {
        kind: 'healthcheck',
        test: ['NONE'],
        interval: 0,
        timeout: 0,
        startPeriod: 0,
        startInterval: 0,
        retries: 0,
      },
    ],
    [
      'HEALTHCHECK --interval=5s --timeout=1m --start-period=0s --start-interval=2ms --retries=3 CMD curl -f x',
      {
        kind: 'healthcheck',
        test: ['CMD-SHELL', 'curl -f x'],
        interval: 5e9,
        timeout: 60e9,
        startPeriod: 0,
        startInterval: 2e6,
        retries: 3,
      },
    ],
    [
      'HEALTHCHECK cmd ["curl", "x"]',
      {
        kind: 'healthcheck',
        test: ['CMD', 'curl', 'x'],
        interval: 0,
        timeout: 0,
        startPeriod: 0,
        startInterval: 0,
        retries: 0,
      },
    ],
    ['SHELL ["/bin/bash", "-c"]', { kind: 'shell', shell: ['/bin/bash', '-c'] }],
  ];
  for (const [text, want] of table)
    it(text.split('\n')[0]!, () => assert.deepEqual(typed(first(text)), want));

  it('keeps the keyword as written, trimmed source and comments', () => {
    const inst = first('# hello\nrun   echo  hi  ');
    assert.equal(inst.name, 'run');
    assert.equal(inst.code, 'run   echo  hi');
    assert.deepEqual(inst.comments, ['hello']);
    assert.equal(inst.range.start.line, 2);
  });
});

describe('parseInstruction: errors', () => {
  const table: [string, string, string][] = [
    ['MAINTAINER', 'E_DOCKERFILE_INSTRUCTION', 'MAINTAINER requires exactly one argument'],
    ['USER', 'E_DOCKERFILE_INSTRUCTION', 'USER requires exactly one argument'],
    ['LABEL', 'E_DOCKERFILE_INSTRUCTION', 'LABEL requires at least one argument'],
    ['HEALTHCHECK', 'E_DOCKERFILE_INSTRUCTION', 'HEALTHCHECK requires at least one argument'],
    ['ARG', 'E_DOCKERFILE_INSTRUCTION', 'ARG requires at least one argument'],
    ['ARG =x', 'E_DOCKERFILE_INSTRUCTION', 'ARG names can not be blank'],
    [
      'ADD a',
      'E_DOCKERFILE_INSTRUCTION',
      'ADD requires at least two arguments, but only one was provided. Destination could not be determined',
    ],
    ['COPY a <<EOF\nEOF', 'E_DOCKERFILE_INSTRUCTION', 'COPY cannot accept a heredoc as a destination'],
    ['FROM a b', 'E_DOCKERFILE_INSTRUCTION', 'FROM requires either one or three arguments'],
    [
      'FROM a AS 1x',
      'E_DOCKERFILE_INSTRUCTION',
      'invalid name for build stage: "1x", name can\'t start with a number or contain symbols',
    ],
    ['FROM --plaform=x a', 'E_DOCKERFILE_FLAG', 'unknown flag: --plaform (did you mean platform?)'],
    ['COPY --from=a --from=b x y', 'E_DOCKERFILE_FLAG', 'duplicate flag specified: --from'],
    ['WORKDIR --x=1 /a', 'E_DOCKERFILE_FLAG', 'unknown flag: --x'],
    ['RUN --network=bridge true', 'E_DOCKERFILE_FLAG', 'invalid network mode "bridge"'],
    ['RUN --security=x true', 'E_DOCKERFILE_FLAG', 'security "x" is not valid'],
    [
      'RUN --mount=from=$X,target=/a true',
      'E_DOCKERFILE_MOUNT',
      "'from' doesn't support variable expansion, define alias stage instead",
    ],
    ['RUN --device=a,b true', 'E_DOCKERFILE_DEVICE', "invalid field 'b' must be a key=value pair"],
    ['VOLUME [""]', 'E_DOCKERFILE_INSTRUCTION', 'VOLUME specified can not be an empty string'],
    ['SHELL /bin/sh -c', 'E_DOCKERFILE_INSTRUCTION', 'SHELL requires the arguments to be in JSON form'],
    ['SHELL []', 'E_DOCKERFILE_INSTRUCTION', 'SHELL requires at least one argument'],
    ['ONBUILD MAINTAINER x', 'E_DOCKERFILE_INSTRUCTION', "MAINTAINER isn't allowed as an ONBUILD trigger"],
    ['HEALTHCHECK NONE x', 'E_DOCKERFILE_HEALTHCHECK', 'HEALTHCHECK NONE takes no arguments'],
    ['HEALTHCHECK CMD', 'E_DOCKERFILE_HEALTHCHECK', 'Missing command after HEALTHCHECK CMD'],
    ['HEALTHCHECK TEST x', 'E_DOCKERFILE_HEALTHCHECK', 'Unknown type "TEST" in HEALTHCHECK (try CMD)'],
    [
      'HEALTHCHECK --interval=1us CMD x',
      'E_DOCKERFILE_HEALTHCHECK',
      'Interval "interval" cannot be less than 1ms',
    ],
    ['HEALTHCHECK --timeout=5 CMD x', 'E_DOCKERFILE_HEALTHCHECK', 'time: missing unit in duration "5"'],
    ['HEALTHCHECK --retries=-1 CMD x', 'E_DOCKERFILE_HEALTHCHECK', '--retries cannot be negative (-1)'],
    ['FORM alpine', 'E_DOCKERFILE_UNKNOWN_INSTRUCTION', 'unknown instruction: FORM (did you mean FROM?)'],
    ['cpoy a b', 'E_DOCKERFILE_UNKNOWN_INSTRUCTION', 'unknown instruction: cpoy (did you mean copy?)'],
    ['BOGUS x', 'E_DOCKERFILE_UNKNOWN_INSTRUCTION', 'unknown instruction: BOGUS'],
  ];
  for (const [text, code, message] of table) {
    it(text.split('\n')[0]!, () => {
      assert.throws(
        () => first(`\n${text}`),
        (e) =>
          e instanceof DockerfileError &&
          e.code === code &&
          e.message === message &&
          e.ranges[0]?.start.line === 2 &&
          e.hint !== undefined,
      );
    });
  }

  it('points at every line of a multi-line instruction, as BuildKit source maps', () => {
    assert.throws(
      () => first('FROM a\nCOPY --bad=1 \\\n  a b\n'.split('\n').slice(1).join('\n')),
      (e) => e instanceof DockerfileError && JSON.stringify(e.ranges.map((r) => r.start.line)) === '[1,2]',
    );
  });

  it('ignores flags where BuildKit does (ARG, STOPSIGNAL, HEALTHCHECK NONE)', () => {
    assert.equal(first('ARG --x=1 a').kind, 'arg');
    assert.equal(first('STOPSIGNAL --x=1 9').kind, 'stopsignal');
    assert.equal(first('HEALTHCHECK --x=1 NONE').kind, 'healthcheck');
  });
});
