// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell ${...} syntax, not JS templates
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GantryError } from '../../errors/index.ts';
import { envsFromSlice, Lex, type LexOptions } from './index.ts';

const ENV = envsFromSlice([
  'HOME=/root',
  'EMPTY=',
  'SP=a  b ',
  'PAT=*.tar',
  'FILE=app.tar.gz',
  'Home=lower',
  'V=1.2.3',
]);

describe('Lex.processWord', () => {
  const table: { input: string; want: string; opts?: LexOptions }[] = [
    { input: 'plain words  kept', want: 'plain words  kept' },
    { input: '$HOME/bin', want: '/root/bin' },
    { input: '$Home$HOME', want: 'lower/root' },
    { input: '${HOME}x', want: '/rootx' },
    { input: '$HOMEx', want: '' },
    { input: 'a$', want: 'a$' },
    { input: '$/x', want: '$/x' },
    { input: '$12ab', want: 'ab' },
    { input: '$$$', want: '$' },
    { input: '${#}${!}', want: '' },
    { input: '${EMPTY-d}|${EMPTY:-d}|${UNSET-d}', want: '|d|d' },
    { input: '${EMPTY+s}|${EMPTY:+s}|${HOME:+s}|${UNSET+s}', want: 's||s|' },
    { input: '${EMPTY?}|${HOME:?m}', want: '|/root' },
    { input: '${UNSET:-"a  b"}', want: 'a  b' },
    { input: "${UNSET:-'$HOME'}", want: '$HOME' },
    { input: '${UNSET:-\\}}', want: '}' },
    { input: '${UNSET:-a}b}', want: 'ab}' },
    { input: '${FILE#*.}|${FILE##*.}', want: 'tar.gz|gz' },
    { input: '${FILE%.*}|${FILE%%.*}', want: 'app.tar|app' },
    { input: '${FILE#$PAT}', want: '.gz' },
    { input: '${FILE%.tar*}', want: 'app' },
    { input: '${FILE#a?p}', want: '.tar.gz' },
    { input: '${FILE#[a]}', want: 'app.tar.gz' },
    { input: '${V//./-}|${V/./-}', want: '1-2-3|1-2.3' },
    { input: '${V/#/x}', want: '1.2.3' },
    { input: '${V//\\//x}', want: '1.2.3' },
    { input: '${UNSET/a/b}', want: '' },
    { input: '"$HOME"\'$HOME\'', want: '/root$HOME' },
    { input: '"a\\b\\"\\$\\\\"', want: 'a\\b"$\\' },
    { input: 'a\\ b\\$HOME\\', want: 'a b$HOME' },
    { input: 'cat <<  EOF', want: 'cat <<  EOF' },
    { input: '\ufeff$HOME', want: '/root' },
    { input: 'x\ufeff', want: 'x\ufeff' },
    { input: 'a`$HOME"`""', want: 'a$HOME"', opts: { escapeToken: '`' } },
    { input: 'C:\\dir\\$HOME', want: 'C:\\dir\\/root', opts: { escapeToken: '`' } },
    { input: `'a'"b"`, want: `'a'"b"`, opts: { rawQuotes: true } },
    { input: 'a\\ b"\\x"', want: 'a\\ b\\\\x', opts: { rawEscapes: true } },
    {
      input: '$UNSET ${UNSET} ${UNSET:-x} ${UNSET//a/b} $HOME',
      want: '$UNSET ${UNSET} ${UNSET:-x} ${UNSET/a/b} /root',
      opts: { skipUnsetEnv: true },
    },
    { input: `"$HOME" 'x'`, want: `"/root" 'x'`, opts: { skipProcessQuotes: true } },
  ];
  for (const { input, want, opts } of table) {
    it(`${JSON.stringify(input)} ${opts ? JSON.stringify(opts) : ''}→ ${JSON.stringify(want)}`, () => {
      assert.equal(new Lex(opts).processWord(input, ENV), want);
    });
  }
});

describe('Lex.processWords', () => {
  const table: { input: string; want: string[] }[] = [
    { input: '  a   b  ', want: ['a', 'b'] },
    { input: 'x$SP', want: ['xa', 'b'] },
    { input: 'x"$SP"y', want: ['xa  b y'] },
    { input: 'a "" b', want: ['a', 'b'] },
    { input: "'a b'\\ c", want: ['a b c'] },
    { input: 'a\u00a0b\u2003c', want: ['a', 'b', 'c'] },
    { input: 'run <<EOF x', want: ['run', '<<EOF', 'x'] },
    // BuildKit clears the word buffer when it processes a ${VAR<op>...} operand, so the
    // unquoted text before it is lost from the words (not from processWord's result).
    { input: 'pre${UNSET:-val} next', want: ['val', 'next'] },
    { input: 'pre${HOME/o/0}', want: ['/r0ot'] },
    { input: 'pre${HOME}', want: ['pre/root'] },
  ];
  for (const { input, want } of table) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => {
      assert.deepEqual(new Lex().processWords(input, ENV), want);
    });
  }
});

describe('Lex.processWordWithMatches', () => {
  it('reports names found and not found, including those only tested', () => {
    const r = new Lex().processWordWithMatches('$HOME ${EMPTY:+x} ${NOPE-${HOME}} $1', ENV);
    assert.equal(r.result, '/root  /root ');
    assert.deepEqual([...r.matched].sort(), ['EMPTY', 'HOME']);
    assert.deepEqual([...r.unmatched].sort(), ['1', 'NOPE']);
    assert.deepEqual(r.words, ['/root', '/root']);
  });
  it('looks names up case-sensitively', () => {
    const r = new Lex().processWordWithMatches('$home', ENV);
    assert.equal(r.result, '');
    assert.deepEqual([...r.unmatched], ['home']);
  });
});

describe('Lex errors', () => {
  const table: { input: string; code: string; message: string; opts?: LexOptions }[] = [
    {
      input: "it's",
      code: 'E_SHELL_SYNTAX',
      message: `failed to process "it's": unexpected end of statement while looking for matching single-quote`,
    },
    {
      input: '"a\\"',
      code: 'E_SHELL_SYNTAX',
      message:
        'failed to process "\\"a\\\\\\"": unexpected end of statement while looking for matching double-quote',
    },
    { input: '${', code: 'E_SHELL_SYNTAX', message: `failed to process "\${": syntax error: missing '}'` },
    {
      input: '${HOME',
      code: 'E_SHELL_SYNTAX',
      message: `failed to process "\${HOME": unsupported modifier (\uFFFD) in substitution`,
    },
    {
      input: '${}',
      code: 'E_SHELL_SYNTAX',
      message: `failed to process "\${}": syntax error: bad substitution`,
    },
    {
      input: '${HOME:=x}',
      code: 'E_SHELL_SYNTAX',
      message: 'failed to process "${HOME:=x}": unsupported modifier (:=) in substitution',
    },
    {
      input: '${HOME:%x}',
      code: 'E_SHELL_SYNTAX',
      message: 'failed to process "${HOME:%x}": unsupported modifier (:%) in substitution',
    },
    {
      input: '${HOME^^}',
      code: 'E_SHELL_SYNTAX',
      message: 'failed to process "${HOME^^}": unsupported modifier (^) in substitution',
    },
    {
      input: '${HOME:-"x}',
      code: 'E_SHELL_SYNTAX',
      message: `failed to process "\${HOME:-\\"x}": syntax error: missing '}'`,
    },
    {
      input: '${HOME/x}',
      code: 'E_SHELL_SYNTAX',
      message: `failed to process "\${HOME/x}": syntax error: missing '/' in \${}`,
    },
    {
      input: '${HOME:-${X}',
      code: 'E_SHELL_SYNTAX',
      message: `failed to process "\${HOME:-\${X}": syntax error: missing '}'`,
    },
    {
      input: '${HOME:-${X?}',
      code: 'E_SHELL_SYNTAX',
      message: `failed to process "\${HOME:-\${X?}": syntax error: missing '}'`,
    },
    {
      input: '${X?}',
      code: 'E_SHELL_VAR_REQUIRED',
      message: 'failed to process "${X?}": X: is not allowed to be unset',
    },
    {
      input: '${EMPTY:?}',
      code: 'E_SHELL_VAR_REQUIRED',
      message: 'failed to process "${EMPTY:?}": EMPTY: is not allowed to be empty',
    },
    {
      input: '${X:?set X "$HOME"}',
      code: 'E_SHELL_VAR_REQUIRED',
      message: 'failed to process "${X:?set X \\"$HOME\\"}": X: set X /root',
    },
    {
      input: '${HOME#\\a}',
      code: 'E_SHELL_BAD_PATTERN',
      message: `failed to process "\${HOME#\\\\a}": invalid pattern (\\a) in substitution: invalid escape '\\a'`,
    },
    {
      input: '${HOME%a\\x}',
      code: 'E_SHELL_BAD_PATTERN',
      message: `failed to process "\${HOME%a\\\\x}": invalid pattern (\\xa) in substitution: invalid escape '\\x'`,
    },
    {
      input: '${HOME//\\q/}',
      code: 'E_SHELL_BAD_PATTERN',
      message: `failed to process "\${HOME//\\\\q/}": invalid pattern (\\q) in substitution: invalid escape '\\q'`,
    },
    {
      input: '"\t\u00a0\x1b',
      code: 'E_SHELL_SYNTAX',
      message:
        'failed to process "\\"\\t\\u00a0\\x1b": unexpected end of statement while looking for matching double-quote',
    },
  ];
  for (const { input, code, message, opts } of table) {
    it(`${JSON.stringify(input)} → ${code}`, () => {
      assert.throws(
        () => new Lex(opts).processWord(input, ENV),
        (e: unknown) => {
          assert.ok(e instanceof GantryError);
          assert.equal(e.code, code);
          assert.equal(e.message, message);
          assert.ok(e.hint !== undefined && e.hint.length > 0);
          return true;
        },
      );
    });
  }

  it('processWords fails the same way', () => {
    assert.throws(() => new Lex().processWords('a "b', ENV), { code: 'E_SHELL_SYNTAX' });
  });

  it('refuses nesting past its limit with E_SHELL_TOO_DEEP instead of overflowing the stack', () => {
    const deep = `${'${X:-'.repeat(5000)}x${'}'.repeat(5000)}`;
    assert.throws(() => new Lex().processWord(deep, ENV), { code: 'E_SHELL_TOO_DEEP' });
    const ok = `${'${X:-'.repeat(200)}x${'}'.repeat(200)}`;
    assert.equal(new Lex().processWord(ok, ENV), 'x');
  });

  it('skipUnsetEnv keeps unset ${X?} rather than failing', () => {
    assert.equal(new Lex({ skipUnsetEnv: true }).processWord('${X?msg}', ENV), '${X?msg}');
  });
});
