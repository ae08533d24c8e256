import assert from 'node:assert/strict';
import { it } from 'node:test';
import fc from 'fast-check';
import { DockerfileError } from '../../errors/index.ts';
import { dumpAst } from './dump-ast.ts';
import { parse } from './parse.ts';

/** Pieces that exercise every branch of the parser: escapes, quotes, heredocs, JSON, directives. */
const pieces = [
  'FROM a',
  'RUN ',
  'COPY ',
  'ADD ',
  'ONBUILD ',
  'ENV ',
  'LABEL ',
  'ARG ',
  'HEALTHCHECK ',
  'CMD ',
  'X ',
  '\\',
  '`',
  '<<',
  '<<-',
  '<<EOF',
  "<<'EOF'",
  '<<"EOF"',
  '3<<',
  'EOF',
  '\tEOF',
  '"',
  "'",
  '[',
  ']',
  '["a"]',
  '[1]',
  '{',
  '}',
  '${',
  '$x',
  '#',
  '# escape=`',
  '# escape=\\',
  '# syntax=x',
  '# check=a',
  '#!',
  '//syntax=y',
  '--',
  '--f=1',
  '=',
  'k=v',
  ' ',
  '\t',
  '\n',
  '\n',
  '\r\n',
  '\u00a0',
  'é',
  '\u0000',
  '\ufeff',
];

const dockerfile = fc.oneof(
  fc.array(fc.constantFrom(...pieces), { maxLength: 60 }).map((a) => a.join('')),
  fc.string({ maxLength: 200, unit: 'binary' }),
);

it('parse returns a result or throws a DockerfileError, never anything else', () => {
  fc.assert(
    fc.property(dockerfile, (text) => {
      try {
        const result = parse(text);
        assert.ok(result.children.length > 0);
        assert.ok(result.startLine >= 1 && result.startLine <= result.endLine);
        for (const c of result.children)
          assert.ok(c.startLine >= result.startLine && c.endLine <= result.endLine);
        assert.equal(typeof dumpAst(result), 'string');
      } catch (e) {
        if (!(e instanceof DockerfileError)) throw e;
        assert.match(e.code, /^E_PARSE_/);
        assert.ok(e.ranges.length > 0);
      }
    }),
    { numRuns: 1500 },
  );
});
