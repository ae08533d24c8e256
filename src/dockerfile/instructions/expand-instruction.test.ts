import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from '../parser/index.ts';
import { expandInstruction } from './expand-instruction.ts';
import { parseInstruction } from './parse-instruction.ts';
import type { Instruction } from './types.ts';

const first = (text: string): Instruction => parseInstruction(parse(text).children[0]!);
/** Upper-cases every `$x` so expanded fields are easy to spot. */
const up = (w: string) => w.replace(/\$([a-z]+)/g, (_m, v: string) => v.toUpperCase());

describe('expandInstruction', () => {
  const table: [string, (i: Instruction) => unknown, unknown][] = [
    ['ENV $k=$v', (i) => i.kind === 'env' && i.pairs, [{ key: 'K', value: 'V', noDelim: false }]],
    ['LABEL $k=$v', (i) => i.kind === 'label' && i.pairs, [{ key: 'K', value: 'V', noDelim: false }]],
    ['WORKDIR /$d', (i) => i.kind === 'workdir' && i.path, '/D'],
    ['USER $u', (i) => i.kind === 'user' && i.user, 'U'],
    ['STOPSIGNAL $s', (i) => i.kind === 'stopsignal' && i.signal, 'S'],
    ['VOLUME $a $b', (i) => i.kind === 'volume' && i.volumes, ['A', 'B']],
    [
      'ARG $a=$b c',
      (i) => i.kind === 'arg' && i.args,
      [
        { key: 'A', value: 'B', docComment: '' },
        { key: 'c', docComment: '' },
      ],
    ],
    ['EXPOSE $p', (i) => i.kind === 'expose' && i.ports, ['P']],
    [
      'FROM --platform=$p $img AS x',
      (i) => i.kind === 'from' && [i.image, i.platform, i.stageName],
      ['IMG', 'P', 'x'],
    ],
    [
      'COPY --from=$s --chown=$o --chmod=$m $a /$d',
      (i) => i.kind === 'copy' && [i.from, i.chown, i.chmod, i.sources, i.dest],
      ['$s', 'O', 'M', ['A'], '/D'],
    ],
    [
      'ADD --checksum=$c $a /$d',
      (i) => i.kind === 'add' && [i.checksum, i.sources, i.dest],
      ['C', ['A'], '/D'],
    ],
    ['RUN echo $x', (i) => i.kind === 'run' && i.cmdLine, ['echo $x']],
    ['CMD echo $x', (i) => i.kind === 'cmd' && i.cmdLine, ['echo $x']],
    ['ONBUILD RUN $x', (i) => i.kind === 'onbuild' && i.expression, 'RUN $x'],
    ['HEALTHCHECK CMD $x', (i) => i.kind === 'healthcheck' && i.test, ['CMD-SHELL', '$x']],
  ];
  for (const [text, get, want] of table)
    it(text, () => assert.deepEqual(get(expandInstruction(first(text), up)), want));

  it('does not change the input', () => {
    const inst = first('ENV a=$b');
    expandInstruction(inst, up);
    assert.deepEqual(inst.kind === 'env' && inst.pairs, [{ key: 'a', value: '$b', noDelim: false }]);
  });

  it('parses RUN mounts with expanded values', () => {
    const vars: Record<string, string> = { $t: 'cache', $d: 'c' };
    const inst = expandInstruction(first('RUN --mount=type=$t,target=/$d true'), (w) =>
      w.replace(/\$[a-z]/g, (m) => vars[m] ?? m),
    );
    assert.equal(inst.kind, 'run');
    if (inst.kind === 'run')
      assert.deepEqual([inst.mountSpecs?.[0]?.type, inst.mountSpecs?.[0]?.target], ['cache', '/c']);
  });

  it('splits EXPOSE words with expandWords', () => {
    const inst = expandInstruction(first('EXPOSE $ports'), up, { expandWords: () => ['80', '443'] });
    assert.deepEqual(inst.kind === 'expose' && inst.ports, ['80', '443']);
  });

  it('expands heredoc sources only when the delimiter was unquoted', () => {
    const text = "COPY <<A <<'B' /d\n$x\nA\n$y\nB";
    const inst = expandInstruction(first(text), up, { expandRaw: up });
    assert.deepEqual(inst.kind === 'copy' && inst.heredocSources.map((h) => h.data), ['X\n', '$y\n']);
  });

  it('propagates expansion errors', () => {
    assert.throws(
      () =>
        expandInstruction(first('WORKDIR $x'), () => {
          throw new Error('boom');
        }),
      /boom/,
    );
  });
});
