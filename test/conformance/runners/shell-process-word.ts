/** Runner for shellProcessWord.json: ProcessWord / ProcessWordWithMatches / EnvsFromSlice rows. */
import { isDeepStrictEqual } from 'node:util';
import { envsFromSlice, Lex } from '../../../src/dockerfile/shell/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface ShellCase {
  id: string;
  api: string;
  input?: string;
  envs: string[];
  lookup?: string;
  expected?: string;
  expect_error?: boolean;
  error_contains?: string;
  expected_matched?: string[];
  expected_unmatched?: string[];
}

function sorted(s: Set<string>): string[] {
  return [...s].sort();
}

function judge(c: ShellCase): string | undefined {
  const env = envsFromSlice(c.envs);
  if (c.api === 'EnvsFromSlice+getEnv') {
    const got = env.get(c.lookup ?? '') ?? '';
    return got === c.expected
      ? undefined
      : `lookup ${c.lookup}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`;
  }
  if (c.api !== 'ProcessWord' && c.api !== 'ProcessWordWithMatches') return `unknown api ${c.api}`;
  const input = JSON.stringify(c.input);
  const lex = new Lex({ escapeToken: '\\' });
  let res: ReturnType<Lex['processWordWithMatches']>;
  try {
    res = lex.processWordWithMatches(c.input ?? '', env);
  } catch (e) {
    if (c.expect_error !== true) return `input ${input}: unexpected error ${String(e)}`;
    const msg = e instanceof Error ? e.message : String(e);
    if (c.error_contains !== undefined && !msg.includes(c.error_contains)) {
      return `input ${input}: error ${JSON.stringify(msg)} does not contain ${JSON.stringify(c.error_contains)}`;
    }
    return undefined;
  }
  if (c.expect_error === true) return `input ${input}: expected an error, got ${JSON.stringify(res.result)}`;
  if (res.result !== c.expected)
    return `input ${input}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(res.result)}`;
  if (
    c.expected_matched !== undefined &&
    !isDeepStrictEqual(sorted(res.matched), [...c.expected_matched].sort())
  ) {
    return `input ${input}: matched ${JSON.stringify(sorted(res.matched))}, expected ${JSON.stringify(c.expected_matched)}`;
  }
  if (
    c.expected_unmatched !== undefined &&
    !isDeepStrictEqual(sorted(res.unmatched), [...c.expected_unmatched].sort())
  ) {
    return `input ${input}: unmatched ${JSON.stringify(sorted(res.unmatched))}, expected ${JSON.stringify(c.expected_unmatched)}`;
  }
  return undefined;
}

export const run: Runner = (data) =>
  (data as { cases: ShellCase[] }).cases.map((c): CaseOutcome => {
    const detail = judge(c);
    return detail === undefined ? { id: c.id, status: 'pass' } : { id: c.id, status: 'fail', detail };
  });
