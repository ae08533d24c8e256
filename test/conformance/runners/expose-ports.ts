/** Runner for exposePorts.json: parsePort (one spec) and parsePorts (a list) → port/proto keys. */
import { parsePort, parsePorts } from '../../../src/dockerfile/instructions/expose-ports.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface PortCase {
  id: string;
  function: 'parsePort' | 'parsePorts';
  input: string | string[];
  expected?: string[];
  expect_error?: boolean;
  error_exact?: string;
}

function judge(c: PortCase): CaseOutcome {
  let got: string[];
  try {
    got = c.function === 'parsePort' ? parsePort(c.input as string) : parsePorts(c.input as string[]);
  } catch (e) {
    const msg = (e as Error).message;
    if (!c.expect_error) return { id: c.id, status: 'fail', detail: `unexpected error: ${msg}` };
    if (c.error_exact !== undefined && msg !== c.error_exact) {
      return {
        id: c.id,
        status: 'fail',
        detail: `error ${JSON.stringify(msg)}, want ${JSON.stringify(c.error_exact)}`,
      };
    }
    return { id: c.id, status: 'pass' };
  }
  if (c.expect_error)
    return { id: c.id, status: 'fail', detail: `expected an error, got ${JSON.stringify(got)}` };
  if (JSON.stringify(got) !== JSON.stringify(c.expected)) {
    return {
      id: c.id,
      status: 'fail',
      detail: `got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected)}`,
    };
  }
  return { id: c.id, status: 'pass' };
}

export const run: Runner = (data) => (data as { cases: PortCase[] }).cases.map(judge);
