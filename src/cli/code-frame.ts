import type { Range, SourceFile } from '../errors/dockerfile-error.ts';

/**
 * Renders the lines around a range like BuildKit does on errors:
 *
 *   Dockerfile:7
 *   --------------------
 *      6 |     FROM x
 *      7 | >>> RUN foo
 *        |         ^
 *   --------------------
 */
export function codeFrame(source: SourceFile, range: Range, context = 2): string {
  const lines = source.text.split(/\r?\n/);
  const first = Math.max(1, range.start.line - context);
  const last = Math.min(lines.length, Math.max(range.end.line, range.start.line) + context);
  const width = String(last).length;
  const out: string[] = [
    `${source.name}:${range.start.line === range.end.line || range.end.line < range.start.line ? range.start.line : `${range.start.line}-${range.end.line}`}`,
  ];
  out.push('-'.repeat(20));
  for (let n = first; n <= last; n++) {
    const inRange = n >= range.start.line && n <= Math.max(range.end.line, range.start.line);
    const text = lines[n - 1] ?? '';
    out.push(`${String(n).padStart(width + 2)} | ${inRange ? '>>> ' : '    '}${text}`);
    if (n === range.start.line && range.start.character > 0) {
      out.push(`${' '.repeat(width + 2)} | ${' '.repeat(4 + range.start.character)}^`);
    }
  }
  out.push('-'.repeat(20));
  return out.join('\n');
}
