/** Runner for bflags.json: declared flags + raw words → values, used set, or an error. */
import { type FlagSpec, parseFlags } from '../../../src/dockerfile/instructions/bflags.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface BFlagsCase {
  id: string;
  flags: { name: string; type: 'string' | 'bool'; default: string | boolean }[];
  args: string[];
  expect_error: boolean;
  expected_values?: Record<string, string | boolean>;
  expected_not_used?: string[];
  expected_used_sorted?: string[];
}

function judge(c: BFlagsCase): CaseOutcome {
  const specs: FlagSpec[] = c.flags.map((f) =>
    f.type === 'bool'
      ? { name: f.name, type: 'bool', default: f.default as boolean }
      : { name: f.name, type: 'string', default: f.default as string },
  );
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(c.args, specs);
  } catch (e) {
    return c.expect_error
      ? { id: c.id, status: 'pass' }
      : { id: c.id, status: 'fail', detail: `unexpected error: ${(e as Error).message}` };
  }
  if (c.expect_error) return { id: c.id, status: 'fail', detail: 'expected an error, got none' };
  for (const [name, want] of Object.entries(c.expected_values ?? {})) {
    const got = typeof want === 'boolean' ? parsed.bool(name) : parsed.string(name);
    if (got !== want)
      return {
        id: c.id,
        status: 'fail',
        detail: `${name}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`,
      };
  }
  for (const name of c.expected_not_used ?? []) {
    if (parsed.isUsed(name)) return { id: c.id, status: 'fail', detail: `${name} reported as used` };
  }
  if (c.expected_used_sorted !== undefined) {
    const got = parsed.used().sort();
    if (JSON.stringify(got) !== JSON.stringify(c.expected_used_sorted)) {
      return {
        id: c.id,
        status: 'fail',
        detail: `used: got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected_used_sorted)}`,
      };
    }
  }
  return { id: c.id, status: 'pass' };
}

export const run: Runner = (data) => (data as { cases: BFlagsCase[] }).cases.map(judge);
