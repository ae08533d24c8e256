/** Runner for directives.json: DirectiveParser.parseAll, detectSyntax and parseDirective(key). */
import {
  type DetectedDirective,
  DirectiveParser,
  detectSyntax,
  parseDirective,
} from '../../../src/dockerfile/parser/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface DirectiveCase {
  id: string;
  kind: string;
  input: string;
  expected?: { name: string; value: string }[];
  expect_error?: boolean;
  ok?: boolean;
  ref?: string;
  cmdline?: string;
  line?: [number, number];
}

const pass = (id: string): CaseOutcome => ({ id, status: 'pass' });
const fail = (id: string, detail: string): CaseOutcome => ({ id, status: 'fail', detail });

function parseAll(c: DirectiveCase): CaseOutcome {
  let got: { name: string; value: string }[];
  try {
    got = new DirectiveParser().parseAll(c.input).map((d) => ({ name: d.name, value: d.value }));
  } catch (e) {
    return c.expect_error ? pass(c.id) : fail(c.id, `unexpected error: ${(e as Error).message}`);
  }
  if (c.expect_error) return fail(c.id, 'expected an error, got none');
  return JSON.stringify(got) === JSON.stringify(c.expected ?? [])
    ? pass(c.id)
    : fail(c.id, `got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected)}`);
}

function detected(c: DirectiveCase, found: DetectedDirective | undefined): CaseOutcome {
  const ok = found !== undefined;
  if (c.ok !== undefined && ok !== c.ok) return fail(c.id, `ok: got ${ok}, want ${c.ok}`);
  const ref = found?.ref ?? '';
  const cmdline = found?.cmdline ?? '';
  if (c.ref !== undefined && ref !== c.ref)
    return fail(c.id, `ref: got ${JSON.stringify(ref)}, want ${JSON.stringify(c.ref)}`);
  if (c.cmdline !== undefined && cmdline !== c.cmdline) {
    return fail(c.id, `cmdline: got ${JSON.stringify(cmdline)}, want ${JSON.stringify(c.cmdline)}`);
  }
  if (c.line !== undefined) {
    const r = found?.ranges[0];
    const got = r === undefined ? null : [r.start.line, r.end.line];
    if (JSON.stringify(got) !== JSON.stringify(c.line))
      return fail(c.id, `line: got ${JSON.stringify(got)}, want ${JSON.stringify(c.line)}`);
  }
  return pass(c.id);
}

function judge(c: DirectiveCase): CaseOutcome {
  if (c.kind === 'ParseAll') return parseAll(c);
  if (c.kind === 'DetectSyntax' || c.kind === 'DetectSyntaxBOM') return detected(c, detectSyntax(c.input));
  const m = /^ParseDirective\((\w+)\)$/.exec(c.kind);
  if (m !== null) return detected(c, parseDirective(m[1]!, c.input));
  return fail(c.id, `unknown kind ${c.kind}`);
}

export const run: Runner = (data) => (data as { cases: DirectiveCase[] }).cases.map(judge);
