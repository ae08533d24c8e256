import type { Range } from '../errors/dockerfile-error.ts';

/**
 * The parser's output: one node per instruction, shaped like BuildKit's parser.Node so that the
 * conformance `result` dumps can be produced from it. Pure data; no behaviour.
 */
export interface Heredoc {
  /** The delimiter word with quotes removed. */
  name: string;
  /** Digits before `<<` (default 0). */
  fileDescriptor: number;
  /** False when any part of the delimiter word was quoted. */
  expand: boolean;
  /** `<<-` form: leading tabs are stripped later (at instruction level). */
  chomp: boolean;
  /** Body lines joined, each keeping its trailing newline; not tab-stripped. */
  content: string;
}

export interface InstructionNode {
  /** The keyword lower-cased (`from`, `run`, ...). */
  keyword: string;
  /** The keyword as written (for casing checks). */
  keywordAsWritten: string;
  /** Leading `--flag[=value]` words, raw. */
  flags: string[];
  /** Argument values (BuildKit's Next chain). For ENV/LABEL: key, value, separator triples. */
  args: string[];
  /** True when the arguments came from a JSON (exec form) array. */
  json: boolean;
  /** Heredocs attached to this instruction (RUN/COPY/ADD shell form only). */
  heredocs: Heredoc[];
  /** ONBUILD only: the nested trigger instruction. */
  sub?: InstructionNode;
  /** The instruction's text after line continuations were joined (without heredoc bodies). */
  original: string;
  /** 1-based first and last physical line (last includes heredoc bodies). */
  startLine: number;
  endLine: number;
  /** Source range: from the keyword to the end of the last line. */
  range: Range;
  /** Comment lines immediately above the instruction (without '#'), for doc comments. */
  prevComments: string[];
}

export interface ParserDirectives {
  /** `# syntax=` (or `//syntax=`) value, if any. */
  syntax?: { value: string; range: Range };
  /** Escape token: `\` (default) or backtick. */
  escapeToken: '\\' | '`';
  /** `# check=` value (e.g. `skip=A,B;error=true`), if any. */
  check?: { value: string; range: Range };
}

export interface ParseWarning {
  /** Build-check rule name when the warning is a rule (e.g. `NoEmptyContinuation`), else a short code. */
  rule: string;
  message: string;
  /** A longer explanation, when there is one (BuildKit's Warning.Detail). */
  detail?: string;
  /** Link to docs, when the rule has one. */
  url?: string;
  ranges: Range[];
}

export interface ParseResult {
  children: InstructionNode[];
  directives: ParserDirectives;
  warnings: ParseWarning[];
  /** 1-based first and last line of the whole AST (as BuildKit's root node). */
  startLine: number;
  endLine: number;
}
