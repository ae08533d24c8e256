import type { Range } from '../../errors/dockerfile-error.ts';

/**
 * BuildKit's Node.Location(): one whole-line range per physical line of the instruction
 * (heredoc bodies included). Errors and check warnings point here, as BuildKit's source maps do.
 */
export function nodeLocation(node: { startLine: number; endLine: number }): Range[] {
  const end = Math.max(node.endLine, node.startLine);
  const out: Range[] = [];
  for (let line = node.startLine; line <= end; line++)
    out.push({ start: { line, character: 0 }, end: { line, character: 0 } });
  return out;
}
