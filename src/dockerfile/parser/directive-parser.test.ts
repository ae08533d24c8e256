import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileError } from '../../errors/index.ts';
import { detectSyntax, parseDirective } from './detect-directive.ts';
import { DirectiveParser, matchDirective } from './directive-parser.ts';

describe('matchDirective', () => {
  const table: [string, [string, string] | undefined][] = [
    ['escape=`', ['escape', '`']],
    ['Syntax  =  img:1  ', ['Syntax', 'img:1']],
    ['check=skip=all', ['check', 'skip=all']],
    ['a1=\t', ['a1', '\t']],
    ['a=', undefined],
    ['1a=b', undefined],
    ['a b=c', undefined],
    ['=b', undefined],
  ];
  for (const [line, want] of table)
    it(JSON.stringify(line), () => assert.deepEqual(matchDirective(line), want));

  it('stays linear on long runs of blanks', () => {
    const line = `a=x${' '.repeat(60000)}y`;
    assert.deepEqual(matchDirective(line), ['a', `x${' '.repeat(60000)}y`]);
  });
});

describe('DirectiveParser', () => {
  it('reads the leading block, lower-cases names, stops at the first other line', () => {
    const found = new DirectiveParser().parseAll('#SYNTAX=a\n#  Check = skip=all\n# other=1\n# escape=`\n');
    assert.deepEqual(
      found.map((d) => [d.name, d.value, d.ranges[0]!.start.line]),
      [
        ['syntax', 'a', 1],
        ['check', 'skip=all', 2],
      ],
    );
  });

  it('rejects a repeated directive', () => {
    assert.throws(
      () => new DirectiveParser().parseAll('# syntax=a\n# syntax=b\n'),
      (e: unknown) => e instanceof DockerfileError && e.code === 'E_PARSE_DIRECTIVE_DUPLICATE',
    );
  });
});

describe('detectSyntax / parseDirective', () => {
  const table: { text: string; ref?: string; cmdline?: string; line?: number }[] = [
    { text: '# syntax=img:1 // x\nFROM a', ref: 'img:1', cmdline: 'img:1 // x', line: 1 },
    { text: '\ufeff#!/usr/bin/env build\n#syntax=img\n', ref: 'img', line: 2 },
    { text: '//syntax=slash\n', ref: 'slash', line: 1 },
    { text: '{"syntax": "json", "x": [1]}', ref: 'json', line: 0 },
    { text: '{"syntax": 1}' },
    { text: '{"syntax": "json", "x": 1e400}' },
    { text: '# hello\n# syntax=late\n' },
    { text: '# syntax=a\n# syntax=b\n', ref: 'a', line: 1 },
  ];
  for (const t of table) {
    it(JSON.stringify(t.text), () => {
      const got = detectSyntax(t.text);
      if (t.ref === undefined) return assert.equal(got, undefined);
      assert.equal(got?.ref, t.ref);
      if (t.cmdline !== undefined) assert.equal(got?.cmdline, t.cmdline);
      assert.equal(got?.ranges[0]?.start.line, t.line);
    });
  }

  it('parseDirective honours only the # form', () => {
    assert.equal(parseDirective('check', '#!/bin/sh\n# check=error=true\n')?.ref, 'error=true');
    assert.equal(parseDirective('check', '//check=error=true\n'), undefined);
    assert.equal(parseDirective('check', '{"check": "x"}'), undefined);
  });
});
