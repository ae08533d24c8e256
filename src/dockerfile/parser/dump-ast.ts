import type { InstructionNode, ParseResult } from '../ast.ts';
import { goTrimSpace } from '../go-strings.ts';
import { goQuote, goQuoteList } from './go-quote.ts';

function head(node: InstructionNode): string {
  return node.flags.length > 0 ? `${node.keyword} ${goQuoteList(node.flags)}` : node.keyword;
}

/** One node as BuildKit's `Node.Dump()`: `run ["--mount=x"] "a" "b"`, ONBUILD as `onbuild (run "x")`. */
export function dumpNode(node: InstructionNode): string {
  const chain: InstructionNode[] = [];
  for (let n: InstructionNode | undefined = node; n !== undefined; n = n.sub) chain.push(n);
  const innermost = chain[chain.length - 1]!;
  let out = goTrimSpace(head(innermost) + innermost.args.map((a) => ` ${goQuote(a)}`).join(''));
  for (let i = chain.length - 2; i >= 0; i--) out = goTrimSpace(`${head(chain[i]!)} (${out})`);
  return out;
}

/**
 * The AST in BuildKit's `result` format: one `(instruction ...)` line per child, joined with
 * `\n`, no trailing newline (the testfiles' `result` is this plus `\n`).
 */
export function dumpAst(result: Pick<ParseResult, 'children'>): string {
  return result.children.map((c) => `(${dumpNode(c)})`).join('\n');
}
