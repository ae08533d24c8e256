/** Runner for parserJSONArrays.json: exec-form JSON parsing (strings, or the not-strings error). */

import { NOT_STRING_ARRAY, parseJSON } from '../../../src/dockerfile/parser/index.ts';
import { DockerfileError } from '../../../src/errors/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface JsonCase {
  id: string;
  input: string;
  expected?: string[];
  expect_error?: boolean;
  error?: string;
}

function judge(c: JsonCase): CaseOutcome {
  let got: string[] | undefined;
  try {
    got = parseJSON(c.input);
  } catch (e) {
    if (!c.expect_error)
      return { id: c.id, status: 'fail', detail: `unexpected error: ${(e as Error).message}` };
    if (!(e instanceof DockerfileError))
      return { id: c.id, status: 'fail', detail: `not a DockerfileError: ${String(e)}` };
    const want = c.error ?? NOT_STRING_ARRAY;
    return e.message === want
      ? { id: c.id, status: 'pass' }
      : {
          id: c.id,
          status: 'fail',
          detail: `error ${JSON.stringify(e.message)}, want ${JSON.stringify(want)}`,
        };
  }
  if (c.expect_error)
    return { id: c.id, status: 'fail', detail: `expected an error, got ${JSON.stringify(got)}` };
  if (got === undefined) return { id: c.id, status: 'fail', detail: 'not recognised as a JSON array' };
  return JSON.stringify(got) === JSON.stringify(c.expected ?? [])
    ? { id: c.id, status: 'pass' }
    : { id: c.id, status: 'fail', detail: `got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected)}` };
}

export const run: Runner = (data) => (data as { cases: JsonCase[] }).cases.map(judge);
