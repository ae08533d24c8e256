/** Runner for dockerignoreReadAll.json: `.dockerignore` text (or null) → cleaned patterns. */
import { isDeepStrictEqual } from 'node:util';
import { readIgnoreFile } from '../../../src/dockerfile/ignore/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface ReadAllCase {
  id: string;
  input: string | null;
  expected?: string[];
  expect_error?: boolean;
}

export const run: Runner = (data) => {
  const cases = (data as { cases: ReadAllCase[] }).cases;
  return cases.map((c): CaseOutcome => {
    let got: string[];
    try {
      got = readIgnoreFile(c.input);
    } catch (e) {
      if (c.expect_error === true) return { id: c.id, status: 'pass' };
      return { id: c.id, status: 'fail', detail: `unexpected error ${String(e)}` };
    }
    if (c.expect_error === true)
      return { id: c.id, status: 'fail', detail: `expected an error, got ${JSON.stringify(got)}` };
    const expected = c.expected ?? [];
    if (!isDeepStrictEqual(got, expected)) {
      return {
        id: c.id,
        status: 'fail',
        detail: `expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`,
      };
    }
    return { id: c.id, status: 'pass' };
  });
};
