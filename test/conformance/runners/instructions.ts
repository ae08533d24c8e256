/**
 * Runner for instructions.json: Dockerfile text → parseInstruction(child 0) (or parseStages
 * for the doc-comment case) compared with BuildKit's typed command; plus hand-built AST rows,
 * the HEALTHCHECK duration flag parser and handleJSONArgs.
 */
import type { InstructionNode } from '../../../src/dockerfile/ast.ts';
import { parseHealthcheckDuration } from '../../../src/dockerfile/instructions/parse-healthcheck.ts';
import { parseInstruction } from '../../../src/dockerfile/instructions/parse-instruction.ts';
import { handleJSONArgs } from '../../../src/dockerfile/instructions/parse-request.ts';
import type { Instruction } from '../../../src/dockerfile/instructions/types.ts';
import { parse } from '../../../src/dockerfile/parser/index.ts';
import { parseStages } from '../../../src/dockerfile/stages/parse-stages.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface InstructionCase {
  id: string;
  input_kind?: 'ast' | 'flag' | 'function';
  dockerfile?: string;
  ast_node?: { value: string; next_values: string[] };
  flag?: string;
  value?: string;
  function?: string;
  args?: string[];
  attributes?: { json?: boolean };
  expect_error?: boolean;
  error_exact?: string;
  error_contains?: string;
  expected?: unknown;
}

const pass = (id: string): CaseOutcome => ({ id, status: 'pass' });
const fail = (id: string, detail: string): CaseOutcome => ({ id, status: 'fail', detail });
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** BuildKit's Go field view of the parts of an instruction the corpus asserts. */
function goView(inst: Instruction): Record<string, unknown> {
  const nilIfEmpty = <T>(xs: T[]) => (xs.length === 0 ? null : xs);
  switch (inst.kind) {
    case 'copy':
    case 'add':
      return {
        type: inst.kind === 'copy' ? 'CopyCommand' : 'AddCommand',
        DestPath: inst.dest,
        SourcePaths: nilIfEmpty(inst.sources),
        SourceContents: nilIfEmpty(
          inst.heredocSources.map((c) => ({ Data: c.data, Expand: c.expand, Path: c.path })),
        ),
      };
    case 'run':
      return {
        type: 'RunCommand',
        PrependShell: inst.shellForm,
        CmdLine: inst.cmdLine,
        Files: nilIfEmpty(inst.files.map((f) => ({ Chomp: f.chomp, Data: f.data, Name: f.name }))),
      };
    default:
      return { type: inst.kind };
  }
}

function judgeError(c: InstructionCase, e: unknown): CaseOutcome {
  const msg = e instanceof Error ? e.message : String(e);
  if (!c.expect_error) return fail(c.id, `unexpected error: ${msg}`);
  if (c.error_exact !== undefined && msg !== c.error_exact)
    return fail(c.id, `error ${JSON.stringify(msg)}, want ${JSON.stringify(c.error_exact)}`);
  if (c.error_contains !== undefined && !msg.includes(c.error_contains)) {
    return fail(c.id, `error ${JSON.stringify(msg)} lacks ${JSON.stringify(c.error_contains)}`);
  }
  return pass(c.id);
}

function hostNode(value: string, args: string[], original: string): InstructionNode {
  return {
    keyword: value.toLowerCase(),
    keywordAsWritten: value,
    flags: [],
    args,
    json: false,
    heredocs: [],
    original,
    startLine: 1,
    endLine: 1,
    range: { start: { line: 1, character: 0 }, end: { line: 1, character: original.length } },
    prevComments: [],
  };
}

function commentsDetection(c: InstructionCase): CaseOutcome {
  const { stages, metaArgs } = parseStages(parse(c.dockerfile!));
  const got: Record<string, unknown> = {};
  for (const key of Object.keys(c.expected as Record<string, unknown>)) {
    const m = /^stages\[(\d+)\]\.Commands\[(\d+)\]\(ARG\)\.Args\[(\d+)\]$/.exec(key);
    if (key === 'stages[0].DocComment') got[key] = stages[0]?.docComment;
    else if (key === 'metaArgs[0].Args[0].Key') got[key] = metaArgs[0]?.args[0]?.key;
    else if (key === 'metaArgs[0].Args[0].DocComment') got[key] = metaArgs[0]?.args[0]?.docComment;
    else if (m !== null) {
      const inst = stages[Number(m[1])]?.instructions[Number(m[2])];
      const arg = inst?.kind === 'arg' ? inst.args[Number(m[3])] : undefined;
      got[key] = arg === undefined ? undefined : { Key: arg.key, DocComment: arg.docComment };
    } else return fail(c.id, `runner does not know expected key ${key}`);
  }
  return same(got, c.expected)
    ? pass(c.id)
    : fail(c.id, `got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected)}`);
}

function judge(c: InstructionCase): CaseOutcome {
  try {
    if (c.input_kind === 'flag') {
      parseHealthcheckDuration(c.flag!, c.value!);
      return c.expect_error ? fail(c.id, 'expected an error') : pass(c.id);
    }
    if (c.input_kind === 'function') {
      if (c.function !== 'handleJSONArgs')
        return { id: c.id, status: 'skip', detail: `no function ${c.function}` };
      const got = handleJSONArgs(c.args ?? [], c.attributes?.json === true);
      return same(got, c.expected) ? pass(c.id) : fail(c.id, `got ${JSON.stringify(got)}`);
    }
    if (c.input_kind === 'ast') {
      const n = c.ast_node!;
      parseInstruction(
        hostNode(n.value, n.next_values, `${n.value.toUpperCase()} ${n.next_values.join(' ')}`),
      );
      return c.expect_error ? fail(c.id, 'expected an error') : pass(c.id);
    }
    if (c.id === 'CommentsDetection') return commentsDetection(c);
    const result = parse(c.dockerfile!);
    const inst = parseInstruction(result.children[0]!);
    if (c.expect_error) return fail(c.id, `expected an error, got ${inst.kind}`);
    if (c.expected === undefined) return pass(c.id);
    const got = goView(inst);
    return same(got, c.expected)
      ? pass(c.id)
      : fail(c.id, `got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected)}`);
  } catch (e) {
    return judgeError(c, e);
  }
}

export const run: Runner = (data) => (data as { cases: InstructionCase[] }).cases.map(judge);
