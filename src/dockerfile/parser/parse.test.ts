import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DockerfileError } from '../../errors/index.ts';
import { dumpAst } from './dump-ast.ts';
import { parse } from './parse.ts';

const dumps: { name: string; text: string; dump: string }[] = [
  {
    name: 'keyword lower-cased, FROM split',
    text: 'from  img:1 AS\tbuild\n',
    dump: '(from "img:1" "AS" "build")',
  },
  {
    name: 'exec form decoded',
    text: 'FROM a\nCMD ["sh", "-c", "echo \\"hi\\""]',
    dump: '(from "a")\n(cmd "sh" "-c" "echo \\"hi\\"")',
  },
  {
    name: 'invalid JSON falls back to shell form',
    text: "FROM a\nRUN ['x']",
    dump: `(from "a")\n(run "['x']")`,
  },
  {
    name: 'COPY shell form splits words',
    text: 'FROM a\nCOPY --chown=1:1  x  y /z/',
    dump: '(from "a")\n(copy ["--chown=1:1"] "x" "y" "/z/")',
  },
  { name: 'bare -- ends flags', text: 'FROM a\nRUN --x -- --y z', dump: '(from "a")\n(run ["--x"] "--y z")' },
  { name: 'quoted flag value', text: 'FROM a\nRUN --m="a b" c', dump: '(from "a")\n(run ["--m=a b"] "c")' },
  {
    name: 'ENV legacy form',
    text: 'FROM a\nENV PATH /usr/bin  /bin',
    dump: '(from "a")\n(env "PATH" "/usr/bin  /bin" "")',
  },
  {
    name: 'LABEL pairs keep quotes',
    text: 'FROM a\nLABEL a="1 2" b=3',
    dump: '(from "a")\n(label "a" "\\"1 2\\"" "=" "b" "3" "=")',
  },
  {
    name: 'ARG words keep quotes',
    text: 'FROM a\nARG x="1 2" y',
    dump: '(from "a")\n(arg "x=\\"1 2\\"" "y")',
  },
  {
    name: 'continuation keeps next line indentation',
    text: 'FROM a\nRUN a \\\n   b',
    dump: '(from "a")\n(run "a    b")',
  },
  {
    name: 'escaped escape does not continue',
    text: 'FROM a\nRUN a \\\\\nRUN b',
    dump: '(from "a")\n(run "a \\\\\\\\")\n(run "b")',
  },
  {
    name: 'comment and blank line inside continuation dropped',
    text: 'FROM a\nRUN a \\\n# c\n\n  b',
    dump: '(from "a")\n(run "a   b")',
  },
  {
    name: 'backtick escape directive',
    text: '# escape=`\nFROM a\nRUN dir c:\\ `\n  x',
    dump: '(from "a")\n(run "dir c:\\\\   x")',
  },
  { name: 'ONBUILD nests', text: 'FROM a\nONBUILD RUN ["x"]', dump: '(from "a")\n(onbuild (run "x"))' },
  {
    name: 'HEALTHCHECK type then command',
    text: 'FROM a\nHEALTHCHECK --retries=2 CMD curl x',
    dump: '(from "a")\n(healthcheck ["--retries=2"] "CMD" "curl x")',
  },
  { name: 'HEALTHCHECK NONE', text: 'FROM a\nHEALTHCHECK NONE', dump: '(from "a")\n(healthcheck "NONE")' },
  {
    name: 'unknown instruction keeps one empty node',
    text: 'FROM a\nFROBNICATE x y',
    dump: '(from "a")\n(frobnicate "")',
  },
  { name: 'empty CMD has no arguments', text: 'FROM a\nCMD', dump: '(from "a")\n(cmd)' },
  {
    name: 'control characters quoted as Go does',
    text: 'FROM a\nUSER x\ty\u0000\u00e9\u00a0',
    dump: '(from "a")\n(user "x\\ty\\x00é")',
  },
  { name: 'BOM stripped', text: '\ufeffFROM a', dump: '(from "a")' },
  { name: 'continuation at EOF', text: 'FROM a\nRUN b \\', dump: '(from "a")\n(run "b")' },
  { name: 'CRLF line endings', text: 'FROM a\r\nRUN b \\\r\n c\r\n', dump: '(from "a")\n(run "b  c")' },
];

describe('parse → dump', () => {
  for (const t of dumps) {
    it(t.name, () => assert.equal(dumpAst(parse(t.text)), t.dump));
  }
});

describe('parse: nodes', () => {
  it('records lines, ranges, comments and the exec-form flag', () => {
    const r = parse(
      '# syntax=docker/dockerfile:1\n\n# base image\n#   pinned  \n  FROM a\nRUN ["x"]\n\nCMD b \\\n  c\n',
    );
    assert.equal(r.startLine, 5);
    assert.equal(r.endLine, 9);
    const [from, run, cmd] = r.children;
    assert.deepEqual(from!.prevComments, ['base image', 'pinned']);
    assert.deepEqual(from!.range, { start: { line: 5, character: 2 }, end: { line: 5, character: 8 } });
    assert.equal(from!.keywordAsWritten, 'FROM');
    assert.equal(run!.json, true);
    assert.deepEqual(run!.prevComments, []);
    assert.deepEqual([cmd!.startLine, cmd!.endLine], [8, 9]);
    assert.equal(cmd!.original, 'CMD b   c');
    assert.deepEqual(r.directives.syntax?.value, 'docker/dockerfile:1');
    assert.equal(r.directives.escapeToken, '\\');
  });

  it('an empty comment line resets the doc comments', () => {
    const r = parse('# one\n#\n# two\nFROM a');
    assert.deepEqual(r.children[0]!.prevComments, ['two']);
  });

  it('reads check and syntax directives', () => {
    const r = parse('# check=skip=JSONArgsRecommended;error=true\n# syntax=x // y\nFROM a');
    assert.equal(r.directives.check?.value, 'skip=JSONArgsRecommended;error=true');
    assert.equal(r.directives.check?.range.start.line, 1);
    assert.equal(r.directives.syntax?.value, 'x // y');
    assert.equal(r.directives.syntax?.range.start.line, 2);
  });

  it('ignores directives after an ordinary comment or a blank line', () => {
    assert.equal(parse('# hello\n# escape=`\nFROM a').directives.escapeToken, '\\');
    assert.equal(parse('\n# escape=`\nFROM a').directives.escapeToken, '\\');
    assert.equal(parse('# ESCAPE = `\nFROM a').directives.escapeToken, '`');
  });

  it('a heredoc word with unbalanced quotes is not a heredoc', () => {
    assert.deepEqual(parse("FROM a\nRUN <<'EOF x").children[1]!.heredocs, []);
  });

  it('attaches heredoc bodies and counts their lines', () => {
    const r = parse('FROM a\nCOPY <<one 2<<-"two" /dst/\nbody $x\none\n\tin\n\ttwo\nRUN ["<<x"]\n');
    const copy = r.children[1]!;
    assert.deepEqual(copy.heredocs, [
      { name: 'one', fileDescriptor: 0, expand: true, chomp: false, content: 'body $x\n' },
      { name: 'two', fileDescriptor: 2, expand: false, chomp: true, content: '\tin\n' },
    ]);
    assert.deepEqual([copy.startLine, copy.endLine], [2, 6]);
    assert.deepEqual(r.children[2]!.heredocs, []);
  });

  it('ONBUILD keeps heredocs of its trigger on the ONBUILD node', () => {
    const r = parse('FROM a\nONBUILD RUN <<EOF\nx\nEOF\n');
    assert.equal(r.children[1]!.heredocs[0]!.content, 'x\n');
    assert.equal(r.children[1]!.sub?.keyword, 'run');
  });

  it('warns about empty continuation lines', () => {
    const r = parse('FROM a\nRUN a \\\n\n  b\n');
    assert.equal(r.warnings.length, 1);
    const w = r.warnings[0]!;
    assert.equal(w.rule, 'NoEmptyContinuation');
    assert.equal(w.message, 'Empty continuation line found in: RUN a   b');
    assert.match(w.detail ?? '', /will become errors in a future release/);
    assert.equal(w.ranges[0]!.start.line, 4);
  });

  it('parses a deep ONBUILD chain without recursion', () => {
    const r = parse(`FROM a\n${'ONBUILD \\\n'.repeat(20000)}RUN x`);
    let depth = 0;
    for (let n = r.children[1]; n !== undefined; n = n.sub) depth++;
    assert.equal(depth, 20001);
    assert.ok(dumpAst(r).endsWith('(run "x")'.padEnd(9 + 20000, ')')));
  });
});

const errors: { name: string; text: string; code: string; message: string; lines: number[] }[] = [
  {
    name: 'no instructions',
    text: '# only\n\n',
    code: 'E_PARSE_NO_INSTRUCTIONS',
    message: 'file with no instructions',
    lines: [2],
  },
  {
    name: 'ENV without value',
    text: 'FROM a\nENV \\\n  x',
    code: 'E_PARSE_NAME_VALUE',
    message: 'ENV must have two arguments',
    lines: [2, 3],
  },
  {
    name: 'LABEL mixes forms',
    text: 'FROM a\nLABEL a=b c',
    code: 'E_PARSE_NAME_VALUE',
    message: 'Syntax error - can\'t find = in "c". Must be of the form: name=value',
    lines: [2],
  },
  {
    name: 'exec form with a number',
    text: 'FROM a\nENTRYPOINT ["a", 1]',
    code: 'E_PARSE_JSON_NOT_STRINGS',
    message: 'when using JSON array syntax, arrays must be comprised of strings only',
    lines: [2],
  },
  {
    name: 'unterminated heredoc',
    text: 'FROM a\nRUN <<EOF\nx\n',
    code: 'E_PARSE_HEREDOC_UNTERMINATED',
    message: 'unterminated heredoc',
    lines: [2, 3],
  },
  {
    name: 'duplicate directive',
    text: '# escape=\\\n# escape=`\nFROM a',
    code: 'E_PARSE_DIRECTIVE_DUPLICATE',
    message: 'only one escape parser directive can be used',
    lines: [2],
  },
  {
    name: 'invalid escape token',
    text: '# escape=x\nFROM a',
    code: 'E_PARSE_ESCAPE_INVALID',
    message: "invalid escape token 'x' does not match ` or \\",
    lines: [1],
  },
  {
    name: 'line of 64 KiB',
    text: `FROM a\nRUN ${'é'.repeat(32766)}\n`,
    code: 'E_PARSE_LINE_TOO_LONG',
    message: 'dockerfile line greater than max allowed size of 65535',
    lines: [2],
  },
];

describe('parse: errors', () => {
  for (const t of errors) {
    it(t.name, () => {
      assert.throws(
        () => parse(t.text),
        (e: unknown) => {
          assert.ok(e instanceof DockerfileError);
          assert.equal(e.code, t.code);
          assert.equal(e.message, t.message);
          assert.ok(e.hint);
          assert.deepEqual(
            e.ranges.map((r) => r.start.line),
            t.lines,
          );
          return true;
        },
      );
    });
  }

  it('accepts a line one byte under the limit', () => {
    assert.equal(parse(`FROM a\nRUN ${'é'.repeat(32765)}x\n`).children.length, 2);
  });
});
