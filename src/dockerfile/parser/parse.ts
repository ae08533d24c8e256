import type { Heredoc, InstructionNode, ParseResult, ParseWarning } from '../ast.ts';
import { firstNonSpace, goTrimLeftSpace, goTrimSpace, trimNewline, utf8Length } from '../go-strings.ts';
import { detectSyntax, parseDirective } from './detect-directive.ts';
import { DirectiveParser } from './directive-parser.ts';
import { heredocsFromLine } from './heredoc.ts';
import type { Escape } from './line-parsers.ts';
import { createLineScanner, type LineScanner, MAX_LINE_BYTES } from './line-scanner.ts';
import { type LineNode, nodeFromLine } from './node-from-line.ts';
import { lineRanges, ParseErrorCode, parseError, withLines } from './parse-error.ts';

const HEREDOC_KEYWORDS = new Set(['add', 'copy', 'run']);
const EMPTY_CONTINUATION_URL = 'https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/';

interface State {
  escapeToken: Escape;
  directives: DirectiveParser;
}

function isComment(line: string): boolean {
  return line.charCodeAt(firstNonSpace(line)) === 0x23;
}

/** BuildKit's `processLine`: newline trimmed, directive looked for, comment lines emptied. */
function processLine(state: State, raw: string, stripLeft: boolean): { line: string; directive: boolean } {
  let token = trimNewline(raw);
  if (stripLeft) token = goTrimLeftSpace(token);
  const d = state.directives.parseLine(token);
  if (d?.name === 'escape') {
    if (d.value !== '\\' && d.value !== '`') {
      throw parseError(
        ParseErrorCode.escapeInvalid,
        `invalid escape token '${d.value}' does not match \` or \\`,
        d.ranges,
      );
    }
    state.escapeToken = d.value;
  }
  return { line: isComment(token) ? '' : token, directive: d !== undefined };
}

/** Removes a trailing escape character (and blanks after it) unless it is itself escaped. */
function trimContinuation(line: string, escapeToken: Escape): { line: string; end: boolean } {
  let i = line.length;
  while (i > 0 && (line[i - 1] === ' ' || line[i - 1] === '\t')) i--;
  if (i === 0 || line[i - 1] !== escapeToken) return { line, end: true };
  if (i >= 2 && line[i - 2] === escapeToken) return { line, end: true };
  return { line: line.slice(0, i - 1), end: false };
}

/**
 * `line[1:]` on the UTF-8 bytes (BuildKit drops one byte before trimming a comment): when the
 * line starts with a multi-byte space, its remaining bytes are invalid UTF-8, shown as U+FFFD.
 */
function dropFirstByte(line: string): string {
  const c = line.charCodeAt(0);
  if (c < 0x80) return line.slice(1);
  return '\ufffd'.repeat(utf8Length(line, 0, 1) - 1) + line.slice(1);
}

function canContainHeredoc(node: LineNode): boolean {
  const target = node.keyword === 'onbuild' && node.sub !== undefined ? node.sub : node;
  return HEREDOC_KEYWORDS.has(target.keyword) && !target.json;
}

function readHeredocs(
  scanner: LineScanner,
  docs: Heredoc[],
  lines: { current: number; lastLen: number },
  start: number,
) {
  for (const doc of docs) {
    const content: string[] = [doc.content];
    let terminated = false;
    for (let raw = scanner.next(); raw !== undefined; raw = scanner.next()) {
      lines.current++;
      let candidate = trimNewline(raw);
      lines.lastLen = candidate.length;
      if (doc.chomp) {
        let tabs = 0;
        while (candidate.charCodeAt(tabs) === 0x09) tabs++;
        candidate = candidate.slice(tabs);
      }
      if (candidate === doc.name) {
        terminated = true;
        break;
      }
      content.push(raw);
    }
    if (!terminated) {
      throw parseError(
        ParseErrorCode.heredocUnterminated,
        'unterminated heredoc',
        lineRanges(start, lines.current),
      );
    }
    doc.content = content.join('');
  }
}

interface Placement {
  heredocs: Heredoc[];
  startLine: number;
  endLine: number;
  range: InstructionNode['range'];
  prevComments: string[];
}

/** Line numbers and comments attached to a parsed line; ONBUILD triggers share the lines (iteratively). */
function toInstruction(node: LineNode, at: Placement): InstructionNode {
  let top: InstructionNode | undefined;
  let parent: InstructionNode | undefined;
  for (let n: LineNode | undefined = node; n !== undefined; n = n.sub) {
    const out: InstructionNode = {
      keyword: n.keyword,
      keywordAsWritten: n.keywordAsWritten,
      flags: n.flags,
      args: n.args,
      json: n.json,
      heredocs: parent === undefined ? at.heredocs : [],
      original: n.original,
      startLine: at.startLine,
      endLine: at.endLine,
      range: at.range,
      prevComments: parent === undefined ? at.prevComments : [],
    };
    if (parent === undefined) top = out;
    else parent.sub = out;
    parent = out;
  }
  return top!;
}

/**
 * Parses Dockerfile text into instruction nodes exactly as BuildKit's `parser.Parse` does:
 * parser directives at the top, line continuations, comments, heredocs, exec/shell form,
 * flags. Pure. Throws DockerfileError (codes E_PARSE_*) with 1-based line ranges.
 */
export function parse(text: string): ParseResult {
  const state: State = { escapeToken: '\\', directives: new DirectiveParser() };
  const scanner = createLineScanner(text);
  const children: InstructionNode[] = [];
  const warnings: ParseWarning[] = [];
  const lines = { current: 0, lastLen: 0 };
  let comments: string[] = [];

  for (let raw = scanner.next(); raw !== undefined; raw = scanner.next()) {
    if (lines.current === 0 && raw.startsWith('\ufeff')) raw = raw.slice(1);
    if (isComment(raw)) {
      const comment = goTrimSpace(dropFirstByte(raw));
      if (comment === '') comments = [];
      else comments.push(comment);
    }
    let processed: { line: string; directive: boolean };
    try {
      processed = processLine(state, raw, true);
    } catch (e) {
      throw withLines(e, lines.current + 1);
    }
    if (processed.directive) comments.pop();
    lines.current++;
    const startLine = lines.current;
    const startChar = firstNonSpace(raw);
    lines.lastLen = trimNewline(raw).length;

    let { line, end } = trimContinuation(processed.line, state.escapeToken);
    if (end && line.length === 0) continue;
    const parts = [line];
    let hasEmptyContinuation = false;
    while (!end) {
      const next = scanner.next();
      if (next === undefined) break;
      const p = processLine(state, next, false);
      lines.current++;
      lines.lastLen = trimNewline(next).length;
      if (isComment(next)) continue;
      if (firstNonSpace(p.line) === p.line.length) {
        hasEmptyContinuation = true;
        continue;
      }
      ({ line, end } = trimContinuation(p.line, state.escapeToken));
      parts.push(line);
    }
    const full = parts.join('');

    if (hasEmptyContinuation) {
      warnings.push({
        rule: 'NoEmptyContinuation',
        message: `Empty continuation line found in: ${full}`,
        detail: 'Empty continuation lines will become errors in a future release',
        url: EMPTY_CONTINUATION_URL,
        ranges: lineRanges(lines.current),
      });
    }

    let node: LineNode;
    let heredocs: Heredoc[] = [];
    try {
      node = nodeFromLine(full, state.escapeToken);
      if (canContainHeredoc(node) && full.includes('<<')) {
        heredocs = heredocsFromLine(full);
        readHeredocs(scanner, heredocs, lines, startLine);
      }
    } catch (e) {
      throw withLines(e, startLine, lines.current);
    }
    children.push(
      toInstruction(node, {
        heredocs,
        startLine,
        endLine: lines.current,
        range: {
          start: { line: startLine, character: startChar },
          end: { line: lines.current, character: lines.lastLen },
        },
        prevComments: comments,
      }),
    );
    comments = [];
  }

  if (children.length === 0) {
    throw parseError(
      ParseErrorCode.noInstructions,
      'file with no instructions',
      lineRanges(Math.max(1, lines.current)),
    );
  }
  if (scanner.tooLong) {
    throw parseError(
      ParseErrorCode.lineTooLong,
      `dockerfile line greater than max allowed size of ${MAX_LINE_BYTES - 1}`,
      lineRanges(lines.current + 1),
    );
  }
  return {
    children,
    directives: directivesOf(text, state.escapeToken),
    warnings,
    startLine: children[0]!.startLine,
    endLine: children[children.length - 1]!.endLine,
  };
}

function directivesOf(text: string, escapeToken: Escape): ParseResult['directives'] {
  const out: ParseResult['directives'] = { escapeToken };
  const clamp = (line: number) => Math.max(1, line);
  const syntax = detectSyntax(text);
  if (syntax !== undefined) {
    const line = clamp(syntax.ranges[0]?.start.line ?? 1);
    out.syntax = { value: syntax.cmdline, range: lineRanges(line)[0]! };
  }
  const check = parseDirective('check', text);
  if (check !== undefined) {
    const line = clamp(check.ranges[0]?.start.line ?? 1);
    out.check = { value: check.cmdline, range: lineRanges(line)[0]! };
  }
  return out;
}
