import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compilePattern } from '../compile-pattern.ts';
import { GoRegexpSyntaxError } from './ast.ts';
import { LazyDfa } from './lazy-dfa.ts';
import { parseGoRegexp } from './parse-go-regexp.ts';
import { compileProgram, matchProgram } from './program.ts';

const GLOB_TOKENS = [
  'a',
  'b',
  '/',
  '*',
  '**',
  '?',
  '[ab]',
  '[^a]',
  '|',
  '{2}',
  '$',
  '^',
  '.',
  '\\Q',
  '\\E',
  'é',
  '☺',
];
const PATH_TOKENS = ['a', 'b', '/', '.', 'ab', 'é', '☺', '𝒜', '\ud800', '$', '\n'];

describe('LazyDfa', () => {
  it('answers as the Pike VM does, with its cache reused across many inputs', () => {
    const glob = fc
      .array(fc.constantFrom(...GLOB_TOKENS), { minLength: 1, maxLength: 8 })
      .map((t) => t.join(''));
    const input = fc.array(fc.constantFrom(...PATH_TOKENS), { maxLength: 10 }).map((t) => t.join(''));
    fc.assert(
      fc.property(glob, fc.array(input, { minLength: 1, maxLength: 40 }), (g, inputs) => {
        const compiled = compilePattern(g);
        if (compiled.kind !== 'regexp') return;
        let program: ReturnType<typeof compileProgram>;
        try {
          program = compileProgram(parseGoRegexp(compiled.source));
        } catch (e) {
          if (e instanceof GoRegexpSyntaxError) return;
          throw e;
        }
        const dfa = new LazyDfa(program);
        for (const s of [...inputs, ...inputs]) {
          assert.equal(dfa.match(s), matchProgram(program, s), `${compiled.source} on ${JSON.stringify(s)}`);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
