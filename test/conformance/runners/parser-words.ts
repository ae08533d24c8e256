/** Runner for parserWords.json: parseWords (quote-keeping split) and parseNameVal (ENV/LABEL). */
import { parseNameVal, parseWords } from '../../../src/dockerfile/parser/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface WordsCase {
  id: string;
  function: 'parseWords' | 'parseNameVal';
  input: string;
  instruction?: string;
  escape?: string;
  expected?: string[];
  expected_node_values?: string[];
  expect_error?: boolean;
  error?: string;
}

function judge(c: WordsCase): CaseOutcome {
  const escapeToken = c.escape === '`' ? '`' : '\\';
  let got: string[];
  try {
    if (c.function === 'parseWords') got = parseWords(c.input, escapeToken);
    else if (c.function === 'parseNameVal') got = parseNameVal(c.input, c.instruction ?? 'ENV', escapeToken);
    else return { id: c.id, status: 'fail', detail: `unknown function ${String(c.function)}` };
  } catch (e) {
    if (!c.expect_error)
      return { id: c.id, status: 'fail', detail: `unexpected error: ${(e as Error).message}` };
    const msg = (e as Error).message;
    return c.error === undefined || msg === c.error
      ? { id: c.id, status: 'pass' }
      : { id: c.id, status: 'fail', detail: `error ${JSON.stringify(msg)}, want ${JSON.stringify(c.error)}` };
  }
  if (c.expect_error)
    return { id: c.id, status: 'fail', detail: `expected an error, got ${JSON.stringify(got)}` };
  const want = c.function === 'parseWords' ? c.expected : c.expected_node_values;
  return JSON.stringify(got) === JSON.stringify(want ?? [])
    ? { id: c.id, status: 'pass' }
    : { id: c.id, status: 'fail', detail: `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}` };
}

export const run: Runner = (data) => (data as { cases: WordsCase[] }).cases.map(judge);
