import type { Range } from '../../errors/index.ts';
import { goTrimLeftSpace, utf8Length } from '../go-strings.ts';
import { MAX_LINE_BYTES } from './line-scanner.ts';
import { lineRanges, ParseErrorCode, parseError } from './parse-error.ts';

/** A parser directive found at the top of a Dockerfile (`# escape=\``). */
export interface Directive {
  /** Lower-cased name: `syntax`, `escape` or `check`. */
  name: string;
  value: string;
  /** The directive's line (1-based, as counted by the parser that found it). */
  ranges: Range[];
}

const VALID = new Set(['syntax', 'escape', 'check']);

/** Go's RE2 `\s`: tab, newline, form feed, carriage return, space. */
function isReSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isAlnum(c: number): boolean {
  return isAlpha(c) || (c >= 0x30 && c <= 0x39);
}

/**
 * Matches `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$` (Go semantics) without backtracking.
 * Returns [key, value] or undefined.
 */
export function matchDirective(line: string): [string, string] | undefined {
  if (line.length === 0 || !isAlpha(line.charCodeAt(0))) return undefined;
  let i = 1;
  while (i < line.length && isAlnum(line.charCodeAt(i))) i++;
  const key = line.slice(0, i);
  while (i < line.length && isReSpace(line.charCodeAt(i))) i++;
  if (line.charCodeAt(i) !== 0x3d) return undefined;
  i++;
  if (i >= line.length) return undefined;
  let start = i;
  while (start < line.length && isReSpace(line.charCodeAt(start))) start++;
  if (start === line.length) start = line.length - 1;
  let end = line.length;
  while (end > start + 1 && isReSpace(line.charCodeAt(end - 1))) end--;
  // Callers pass single lines, so Go's `.` (anything but a newline) matches every character.
  return [key, line.slice(start, end)];
}

/**
 * BuildKit's DirectiveParser: reads lines one at a time; the first line that is not a
 * recognised directive (`<comment> name=value` with name syntax/escape/check, any case) ends
 * the directive block for good. A repeated directive is an error.
 */
export class DirectiveParser {
  private line: number;
  private readonly comment: string;
  private readonly seen = new Set<string>();
  private finished = false;

  constructor(options: { line?: number; comment?: string } = {}) {
    this.line = options.line ?? 0;
    this.comment = options.comment ?? '#';
  }

  /** True once the directive block has ended. */
  get done(): boolean {
    return this.finished;
  }

  /** Looks at the next line (without its line ending); returns the directive it holds, if any. */
  parseLine(text: string): Directive | undefined {
    this.line++;
    if (this.finished) return undefined;
    if (!text.startsWith(this.comment)) {
      this.finished = true;
      return undefined;
    }
    const match = matchDirective(goTrimLeftSpace(text.slice(this.comment.length)));
    if (match === undefined) {
      this.finished = true;
      return undefined;
    }
    const name = match[0].toLowerCase();
    if (!VALID.has(name)) {
      this.finished = true;
      return undefined;
    }
    const ranges = lineRanges(this.line);
    if (this.seen.has(name)) {
      throw parseError(
        ParseErrorCode.directiveDuplicate,
        `only one ${name} parser directive can be used`,
        ranges,
      );
    }
    this.seen.add(name);
    return { name, value: match[1], ranges };
  }

  /** Reads directives from the top of `text` until the block ends (Go's `ParseAll`). */
  parseAll(text: string): Directive[] {
    const found: Directive[] = [];
    const lines = scanLines(text);
    while (!this.finished) {
      const next = lines.next();
      if (next.done === true) break;
      const d = this.parseLine(next.value);
      if (d !== undefined) found.push(d);
    }
    return found;
  }
}

/** `bufio.ScanLines`: split on `\n`, drop one trailing `\r`, no empty final line; lines < 64 KiB. */
export function* scanLines(text: string): Generator<string> {
  let pos = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    let line = text.slice(pos, nl < 0 ? text.length : nl);
    pos = nl < 0 ? text.length : nl + 1;
    if (line.length * 3 >= MAX_LINE_BYTES && utf8Length(line) >= MAX_LINE_BYTES) {
      return;
    }
    if (line.endsWith('\r')) line = line.slice(0, -1);
    yield line;
  }
}
