/**
 * Runner for parserHeredocs.json: heredocs per AST child of a whole Dockerfile, the chomp
 * helper, ParseHeredoc on one word, and heredocsFromLine on a whole line.
 */
import type { Heredoc } from '../../../src/dockerfile/ast.ts';
import {
  chompHeredocContent,
  heredocsFromLine,
  parse,
  parseHeredoc,
} from '../../../src/dockerfile/parser/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface GoHeredoc {
  Name: string;
  FileDescriptor: number;
  Expand: boolean;
  Chomp: boolean;
  Content: string;
}

interface HeredocCase {
  id: string;
  kind: 'dockerfile' | 'chomp' | 'parse_heredoc_word' | 'heredocs_from_line';
  dockerfile?: string;
  input?: string;
  expected_heredocs_by_child?: (GoHeredoc[] | null)[];
  expected?: string | null;
  expected_name?: string;
  expected_names?: string[] | null;
  expect_error?: boolean;
}

const pass = (id: string): CaseOutcome => ({ id, status: 'pass' });
const fail = (id: string, detail: string): CaseOutcome => ({ id, status: 'fail', detail });

function toGo(h: Heredoc): GoHeredoc {
  return {
    Name: h.name,
    FileDescriptor: h.fileDescriptor,
    Expand: h.expand,
    Chomp: h.chomp,
    Content: h.content,
  };
}

function canonical(list: GoHeredoc[]): string {
  return JSON.stringify(list.map((h) => [h.Name, h.FileDescriptor, h.Expand, h.Chomp, h.Content]));
}

function dockerfile(c: HeredocCase): CaseOutcome {
  const result = parse(c.dockerfile ?? '');
  const want = c.expected_heredocs_by_child ?? [];
  if (result.children.length !== want.length) {
    return fail(c.id, `${result.children.length} children, want ${want.length}`);
  }
  for (let i = 0; i < want.length; i++) {
    const got = canonical(result.children[i]!.heredocs.map(toGo));
    const exp = canonical(want[i] ?? []);
    if (got !== exp) return fail(c.id, `child ${i}: got ${got}, want ${exp}`);
  }
  return pass(c.id);
}

function word(c: HeredocCase): CaseOutcome {
  let got: Heredoc | undefined;
  try {
    got = parseHeredoc(c.input ?? '');
  } catch (e) {
    return c.expect_error ? pass(c.id) : fail(c.id, `unexpected error: ${(e as Error).message}`);
  }
  if (c.expect_error) return fail(c.id, `expected an error, got ${JSON.stringify(got)}`);
  if (c.expected_name !== undefined) {
    return got?.name === c.expected_name
      ? pass(c.id)
      : fail(c.id, `got ${JSON.stringify(got)}, want name ${c.expected_name}`);
  }
  return got === undefined ? pass(c.id) : fail(c.id, `expected no heredoc, got ${JSON.stringify(got)}`);
}

function judge(c: HeredocCase): CaseOutcome {
  try {
    switch (c.kind) {
      case 'dockerfile':
        return dockerfile(c);
      case 'chomp': {
        const got = chompHeredocContent(c.input ?? '');
        return got === c.expected
          ? pass(c.id)
          : fail(c.id, `got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected)}`);
      }
      case 'parse_heredoc_word':
        return word(c);
      case 'heredocs_from_line': {
        // As the Go test: every heredoc found must match the expected name at its position
        // (the Go test does not notice a heredoc that was not found).
        const got = heredocsFromLine(c.input ?? '').map((h) => h.name);
        const want = c.expected_names ?? [];
        const bad = got.length > want.length || got.some((name, i) => name !== want[i]);
        return bad ? fail(c.id, `got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`) : pass(c.id);
      }
      default:
        return fail(c.id, `unknown kind ${String(c.kind)}`);
    }
  } catch (e) {
    return fail(c.id, `unexpected error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export const run: Runner = (data) => (data as { cases: HeredocCase[] }).cases.map(judge);
