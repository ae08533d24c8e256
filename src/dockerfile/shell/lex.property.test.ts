import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { GantryError } from '../../errors/index.ts';
import { envsFromSlice, Lex, type LexOptions } from './index.ts';
import { replaceFirst, trimPrefix } from './pattern-ops.ts';

const CODES = new Set(['E_SHELL_SYNTAX', 'E_SHELL_BAD_PATTERN', 'E_SHELL_VAR_REQUIRED', 'E_SHELL_TOO_DEEP']);
const PIECES = [
  '$',
  '{',
  '}',
  ':',
  '-',
  '+',
  '?',
  '#',
  '%',
  '/',
  '\\',
  '`',
  "'",
  '"',
  '<',
  ' ',
  '\n',
  '*',
  'A',
  'B',
  'x',
  '1',
  '@',
  '${A',
  '${B:-',
  '${A#',
  '${A//',
  '\ufeff',
];
const shellish = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'grapheme', maxLength: 3 })), {
    maxLength: 30,
  })
  .map((a) => a.join(''));
const options: fc.Arbitrary<LexOptions> = fc.record({
  escapeToken: fc.constantFrom<'\\' | '`'>('\\', '`'),
  rawQuotes: fc.boolean(),
  rawEscapes: fc.boolean(),
  skipUnsetEnv: fc.boolean(),
  skipProcessQuotes: fc.boolean(),
});
const ENV = envsFromSlice(['A=a*b c', 'B=', 'C=$0\\x']);

describe('Lex properties', () => {
  it('returns strings or throws a coded GantryError, for any input and options', () => {
    fc.assert(
      fc.property(fc.oneof(shellish, fc.string({ unit: 'binary', maxLength: 40 })), options, (word, opts) => {
        try {
          const r = new Lex(opts).processWordWithMatches(word, ENV);
          assert.equal(typeof r.result, 'string');
          assert.ok(r.words.every((w) => typeof w === 'string' && w.length > 0));
        } catch (e) {
          assert.ok(e instanceof GantryError, `not a GantryError: ${String(e)}`);
          assert.ok(CODES.has(e.code), e.code);
          assert.ok(e.message.startsWith('failed to process "'), e.message);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('leaves text without special characters alone and splits it at whitespace', () => {
    const plain = fc.string({
      unit: fc.constantFrom('a', 'b', 'Z', '9', '.', ' ', '\t', ',', '한'),
      maxLength: 20,
    });
    fc.assert(
      fc.property(plain, (word) => {
        const lex = new Lex();
        assert.equal(lex.processWord(word, ENV), word);
        assert.deepEqual(
          lex.processWords(word, ENV),
          word.split(/[ \t]+/).filter((w) => w !== ''),
        );
      }),
    );
  });

  it('single-quoted text comes back verbatim', () => {
    const inner = fc
      .string({ unit: 'grapheme', maxLength: 20 })
      .filter((s) => !s.includes("'") && !s.startsWith('\ufeff'));
    fc.assert(fc.property(inner, (s) => assert.equal(new Lex().processWord(`'${s}'`, ENV), s)));
  });
});

/** A reference for the pattern engine: the same pattern as a JavaScript backtracking RegExp. */
function toRegExp(pattern: string, greedy: boolean, anchored: boolean): RegExp {
  let src = anchored ? '^' : '';
  const chars = Array.from(pattern);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    if (ch === '*') src += greedy ? '[^\\n]*' : '[^\\n]*?';
    else if (ch === '?') src += '[^\\n]';
    else if (ch === '\\') src += `\\${chars[++i] as string}`;
    else src += ch.replace(/[.*+?^${}()|[\]\\/]/gu, '\\$&');
  }
  return new RegExp(src, 'u');
}

describe('shell pattern properties', () => {
  const patternChar = fc.constantFrom('*', '?', 'a', 'b', '\n', '\\*', '\\?', '.', '😀');
  const pattern = fc.array(patternChar, { maxLength: 7 }).map((a) => a.join(''));
  const value = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?', '\n', '.', '😀'), maxLength: 12 });

  it('trimPrefix removes what a leftmost-first RegExp matches at the start', () => {
    fc.assert(
      fc.property(pattern, value, fc.boolean(), (p, v, greedy) => {
        const m = toRegExp(p, greedy, true).exec(v);
        assert.equal(trimPrefix(p, v, greedy), m === null ? v : v.slice(m[0].length));
      }),
      { numRuns: 3000 },
    );
  });

  it('replaceFirst replaces the leftmost greedy match', () => {
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        const m = toRegExp(p, true, false).exec(v);
        const want = m === null ? v : v.slice(0, m.index) + '<>' + v.slice(m.index + m[0].length);
        assert.equal(replaceFirst(p, v, '<>'), want);
      }),
      { numRuns: 3000 },
    );
  });

  it('a longest trim never leaves more than a shortest one', () => {
    fc.assert(
      fc.property(pattern, value, (p, v) => {
        const shortest = trimPrefix(p, v, false);
        const longest = trimPrefix(p, v, true);
        assert.ok(v.endsWith(shortest) && v.endsWith(longest));
        assert.ok(longest.length <= shortest.length);
      }),
    );
  });
});
