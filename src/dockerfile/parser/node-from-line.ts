import { goToLower } from '../go-strings.ts';
import { type Escape, parseArgsFor } from './line-parsers.ts';
import { splitCommand } from './split-command.ts';

/** One instruction's parsed line, before line numbers, comments and heredocs are attached. */
export interface LineNode {
  keyword: string;
  keywordAsWritten: string;
  flags: string[];
  args: string[];
  json: boolean;
  original: string;
  sub?: LineNode;
}

/**
 * BuildKit's `newNodeFromLine`: keyword, flags and arguments of a logical line. ONBUILD wraps
 * the rest as a nested node (iteratively, so `ONBUILD ONBUILD ...` chains cannot overflow the stack).
 */
export function nodeFromLine(line: string, escapeToken: Escape): LineNode {
  const chain: LineNode[] = [];
  let current = line;
  for (;;) {
    const { cmd, flags, args } = splitCommand(current, escapeToken);
    const keyword = goToLower(cmd);
    const node: LineNode = {
      keyword,
      keywordAsWritten: cmd,
      flags,
      args: [],
      json: false,
      original: current,
    };
    chain.push(node);
    if (keyword === 'onbuild') {
      if (args === '') break;
      current = args;
      continue;
    }
    const parsed = parseArgsFor(keyword, args, escapeToken);
    node.args = parsed.args;
    node.json = parsed.json;
    break;
  }
  for (let i = chain.length - 2; i >= 0; i--) chain[i]!.sub = chain[i + 1]!;
  return chain[0]!;
}
