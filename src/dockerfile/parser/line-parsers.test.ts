import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileError } from '../../errors/index.ts';
import { parseArgsFor, parseNameVal } from './line-parsers.ts';
import { parseJSON } from './parse-json.ts';
import { parseWords } from './parse-words.ts';
import { extractBuilderFlags, splitCommand } from './split-command.ts';

describe('parseWords', () => {
  const table: [string, '\\' | '`', string[]][] = [
    ['a  b\tc', '\\', ['a', 'b', 'c']],
    ['a\\ b', '\\', ['a\\ b']],
    ['"a b" \'c d\'', '\\', ['"a b"', "'c d'"]],
    ['"a \\" b"', '\\', ['"a \\" b"']],
    ["'a \\' b'", '\\', ["'a \\'", "b'"]],
    ['a`  b', '`', ['a` ', 'b']],
    ['x\\', '\\', ['x']],
    ['""', '\\', ['""']],
  ];
  for (const [input, esc, want] of table)
    it(JSON.stringify(input), () => assert.deepEqual(parseWords(input, esc), want));
});

describe('parseNameVal', () => {
  it('legacy and pair forms', () => {
    assert.deepEqual(parseNameVal('A b c', 'ENV'), ['A', 'b c', '']);
    assert.deepEqual(parseNameVal('a=1 b="2 3"', 'LABEL'), ['a', '1', '=', 'b', '"2 3"', '=']);
    assert.deepEqual(parseNameVal('a=', 'ENV'), ['a', '', '=']);
    assert.deepEqual(parseNameVal('', 'ENV'), []);
  });
  it('errors', () => {
    assert.throws(() => parseNameVal('A', 'LABEL'), { message: 'LABEL must have two arguments' });
    assert.throws(
      () => parseNameVal('a=1 b', 'ENV'),
      (e: unknown) => e instanceof DockerfileError && e.code === 'E_PARSE_NAME_VALUE',
    );
  });
});

describe('parseJSON', () => {
  it('decodes arrays of strings, rejects other JSON, ignores non-JSON', () => {
    assert.deepEqual(parseJSON(' ["a\\u0041", "\\/"] '), ['aA', '/']);
    assert.deepEqual(parseJSON('[]'), []);
    assert.equal(parseJSON("['a']"), undefined);
    assert.equal(parseJSON('"a"'), undefined);
    assert.equal(parseJSON('["a"] x'), undefined);
    assert.equal(parseJSON('["a", 1e999]'), undefined, 'a float64 overflow is a decode error in Go');
    assert.equal(parseJSON(`${'['.repeat(10001)}${']'.repeat(10001)}`), undefined);
    assert.throws(() => parseJSON(`["a", ${'['.repeat(9999)}${']'.repeat(9999)}]`), {
      code: 'E_PARSE_JSON_NOT_STRINGS',
    });
    assert.throws(() => parseJSON('["a", null]'), { code: 'E_PARSE_JSON_NOT_STRINGS' });
  });
});

describe('splitCommand', () => {
  const table: [string, { cmd: string; flags: string[]; args: string }][] = [
    ['RUN --a --b=c d e ', { cmd: 'RUN', flags: ['--a', '--b=c'], args: 'd e' }],
    ['COPY --from="x y" a b', { cmd: 'COPY', flags: ['--from=x y'], args: 'a b' }],
    ['RUN -- --a', { cmd: 'RUN', flags: [], args: '--a' }],
    ['RUN --a=\\ b c', { cmd: 'RUN', flags: ['--a= b'], args: 'c' }],
    ['RUN --a -x', { cmd: 'RUN', flags: ['--a'], args: '-x' }],
    ['  CMD', { cmd: 'CMD', flags: [], args: '' }],
    ['RUN --a', { cmd: 'RUN', flags: ['--a'], args: '' }],
  ];
  for (const [line, want] of table)
    it(JSON.stringify(line), () => assert.deepEqual(splitCommand(line, '\\'), want));

  it('reads flags byte by byte, as BuildKit does', () => {
    // é is C3 A9: each byte becomes the rune of the same number.
    assert.deepEqual(extractBuilderFlags('--x=é y', '\\'), { rest: 'y', flags: ['--x=Ã©'] });
    // à is C3 A0, and A0 counts as a space.
    assert.deepEqual(extractBuilderFlags('--x=à y', '\\'), { rest: 'y', flags: ['--x=Ã'] });
  });
});

describe('parseArgsFor', () => {
  it('HEALTHCHECK splits the type off and keeps exec form', () => {
    assert.deepEqual(parseArgsFor('healthcheck', 'CMD ["a"]', '\\'), { args: ['CMD', 'a'], json: true });
    assert.deepEqual(parseArgsFor('healthcheck', '', '\\'), { args: [], json: false });
  });
  it('VOLUME takes JSON or words; USER takes the rest', () => {
    assert.deepEqual(parseArgsFor('volume', '/a /b', '\\'), { args: ['/a', '/b'], json: false });
    assert.deepEqual(parseArgsFor('user', 'a b', '\\'), { args: ['a b'], json: false });
  });
});
