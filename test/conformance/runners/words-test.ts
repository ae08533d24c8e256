/** Runner for wordsTest.json: `Lex.processWords` with the ENV lines accumulated so far. */
import { isDeepStrictEqual } from 'node:util';
import { envsFromSlice, Lex } from '../../../src/dockerfile/shell/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface WordsCase {
  id: string;
  input: string;
  envs: string[];
  expected_words?: string[];
  expect_error?: boolean;
}

export const run: Runner = (data) => {
  const cases = (data as { cases: WordsCase[] }).cases;
  const lex = new Lex({ escapeToken: '\\' });
  return cases.map((c): CaseOutcome => {
    const input = JSON.stringify(c.input);
    let got: string[];
    try {
      got = lex.processWords(c.input, envsFromSlice(c.envs));
    } catch (e) {
      if (c.expect_error === true) return { id: c.id, status: 'pass' };
      return { id: c.id, status: 'fail', detail: `input ${input}: unexpected error ${String(e)}` };
    }
    if (c.expect_error === true) {
      return {
        id: c.id,
        status: 'fail',
        detail: `input ${input}: expected an error, got ${JSON.stringify(got)}`,
      };
    }
    if (!isDeepStrictEqual(got, c.expected_words)) {
      return {
        id: c.id,
        status: 'fail',
        detail: `input ${input}: expected ${JSON.stringify(c.expected_words)}, got ${JSON.stringify(got)}`,
      };
    }
    return { id: c.id, status: 'pass' };
  });
};
