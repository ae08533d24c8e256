import type { Heredoc } from '../ast.ts';
import { LexError, lexHeredocWords } from './heredoc-lexer.ts';
import { ParseErrorCode, parseError } from './parse-error.ts';

/** Go's RE2 `\s`. */
function isReSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

/** `^(\d*)<<(-?)\s*([^<]*)$` without backtracking: [digits, chomp, rest] or undefined. */
function matchHeredoc(word: string): [string, boolean, string] | undefined {
  let i = 0;
  while (i < word.length && word.charCodeAt(i) >= 0x30 && word.charCodeAt(i) <= 0x39) i++;
  if (!word.startsWith('<<', i)) return undefined;
  const digits = word.slice(0, i);
  i += 2;
  const chomp = word.charCodeAt(i) === 0x2d;
  if (chomp) i++;
  while (i < word.length && isReSpace(word.charCodeAt(i))) i++;
  const rest = word.slice(i);
  if (rest.includes('<')) return undefined;
  return [digits, chomp, rest];
}

function countQuotes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x27 || c === 0x22) n++;
  }
  return n;
}

function lex(rest: string, rawQuotes: boolean): string[] {
  try {
    return lexHeredocWords(rest, { rawQuotes, rawEscapes: false });
  } catch (e) {
    if (e instanceof LexError) throw parseError(ParseErrorCode.heredocWord, e.message);
    throw e;
  }
}

/**
 * BuildKit's `ParseHeredoc`: the heredoc a single shell word (`<<EOF`, `3<<-"EOF"`) opens, with
 * empty content; undefined when the word is not a heredoc. Unbalanced quotes in the delimiter
 * throw a DockerfileError (E_PARSE_HEREDOC_WORD, no ranges).
 */
export function parseHeredoc(word: string): Heredoc | undefined {
  const m = matchHeredoc(word);
  if (m === undefined) return undefined;
  const [digits, chomp, rest] = m;
  if (rest.length === 0) return undefined;
  const words = lex(rest, false);
  if (words.length !== 1) return undefined;
  const raw = lex(rest, true);
  if (raw.length !== words.length) {
    throw parseError(
      ParseErrorCode.heredocWord,
      `internal lexing of heredoc produced inconsistent results: ${rest}`,
    );
  }
  const name = words[0]!;
  const fd = digits === '' ? 0 : Number(digits);
  return {
    name,
    fileDescriptor: Number.isSafeInteger(fd) ? fd : Number.MAX_SAFE_INTEGER,
    expand: countQuotes(name) === countQuotes(raw[0]!),
    chomp,
    content: '',
  };
}

/**
 * BuildKit's `heredocsFromLine`: split a whole instruction line into shell words (quotes and
 * escapes kept) and return the heredocs they open, in order. `escape` is accepted for
 * symmetry with the rest of the parser; BuildKit always lexes this with `\`.
 */
export function heredocsFromLine(line: string, _escape: '\\' | '`' = '\\'): Heredoc[] {
  let words: string[];
  try {
    words = lexHeredocWords(line, { rawQuotes: true, rawEscapes: true });
  } catch (e) {
    if (e instanceof LexError) return [];
    throw e;
  }
  const docs: Heredoc[] = [];
  for (const word of words) {
    const doc = parseHeredoc(word);
    if (doc !== undefined) docs.push(doc);
  }
  return docs;
}

/** BuildKit's `ChompHeredocContent`: remove the leading tabs of every line. */
export function chompHeredocContent(src: string): string {
  if (!src.includes('\t')) return src;
  return src
    .split('\n')
    .map((line) => {
      let i = 0;
      while (line.charCodeAt(i) === 0x09) i++;
      return i === 0 ? line : line.slice(i);
    })
    .join('\n');
}
