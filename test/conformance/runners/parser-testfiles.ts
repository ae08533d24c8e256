/**
 * Runner for the `parser/` corpus directory: testfiles/<case> (Dockerfile → dump must equal
 * `result`), testfiles-negative/<case> (parse must fail with a DockerfileError) and
 * testfile-line (line numbers of the root and of each instruction).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dumpAst, parse } from '../../../src/dockerfile/parser/index.ts';
import { DockerfileError } from '../../../src/errors/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

function readText(path: string): string {
  return decoder.decode(readFileSync(path));
}

function subdirs(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

function firstDifference(got: string, want: string): string {
  const g = got.split('\n');
  const w = want.split('\n');
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    if (g[i] !== w[i]) return `line ${i + 1}: got ${JSON.stringify(g[i])}, want ${JSON.stringify(w[i])}`;
  }
  return 'outputs differ';
}

function positive(dir: string, name: string): CaseOutcome {
  const id = `testfiles/${name}`;
  try {
    const got = `${dumpAst(parse(readText(join(dir, name, 'Dockerfile'))))}\n`;
    const want = readText(join(dir, name, 'result'));
    return got === want ? { id, status: 'pass' } : { id, status: 'fail', detail: firstDifference(got, want) };
  } catch (e) {
    return { id, status: 'fail', detail: `parse failed: ${describe(e)}` };
  }
}

function negative(dir: string, name: string): CaseOutcome {
  const id = `testfiles-negative/${name}`;
  try {
    parse(readText(join(dir, name, 'Dockerfile')));
    return { id, status: 'fail', detail: 'expected a parse error, got none' };
  } catch (e) {
    return e instanceof DockerfileError
      ? { id, status: 'pass' }
      : { id, status: 'fail', detail: `expected a DockerfileError, got ${describe(e)}` };
  }
}

interface ExpectedLines {
  ast: { start_line: number; end_line: number };
  children_count: number;
  children: [number, number][];
}

function lineNumbers(dir: string): CaseOutcome {
  const id = 'testfile-line';
  try {
    const want = JSON.parse(readText(join(dir, 'expected_lines.json'))) as ExpectedLines;
    const result = parse(readText(join(dir, 'Dockerfile')));
    const got = {
      root: [result.startLine, result.endLine],
      children: result.children.map((c) => [c.startLine, c.endLine]),
    };
    const expected = { root: [want.ast.start_line, want.ast.end_line], children: want.children };
    if (result.children.length !== want.children_count || JSON.stringify(got) !== JSON.stringify(expected)) {
      return { id, status: 'fail', detail: `got ${JSON.stringify(got)}, want ${JSON.stringify(expected)}` };
    }
    return { id, status: 'pass' };
  } catch (e) {
    return { id, status: 'fail', detail: describe(e) };
  }
}

export const run: Runner = (_data, ctx) => {
  const outcomes: CaseOutcome[] = [];
  const pos = join(ctx.path, 'testfiles');
  for (const name of subdirs(pos)) outcomes.push(positive(pos, name));
  const neg = join(ctx.path, 'testfiles-negative');
  for (const name of subdirs(neg)) outcomes.push(negative(neg, name));
  const line = join(ctx.path, 'testfile-line');
  if (existsSync(join(line, 'Dockerfile'))) outcomes.push(lineNumbers(line));
  return outcomes;
};
