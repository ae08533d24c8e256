import { goTrimSpace } from '../go-strings.ts';

const ASCII = /^[\x00-\x7f]*$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface SplitCommand {
  /** The instruction keyword as written. */
  cmd: string;
  /** Leading `--flag` words, quotes and escapes removed. */
  flags: string[];
  /** The rest of the line, trimmed. */
  args: string;
}

/** Byte `b` read as a rune by Go's `unicode.IsSpace(rune(b))`. */
function isByteSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0x85 || b === 0xa0;
}

function byteAt(line: string, b: Uint8Array | undefined, i: number): number {
  return b === undefined ? line.charCodeAt(i) : b[i]!;
}

function restAt(line: string, b: Uint8Array | undefined, pos: number): string {
  return b === undefined ? line.slice(pos) : decoder.decode(b.subarray(pos));
}

const SPACES = 0;
const WORD = 1;
const QUOTE = 2;

/**
 * BuildKit's `extractBuilderFlags`: takes leading words that start with `--` as flags (a bare
 * `--` ends them and is dropped). Like BuildKit it walks bytes, so a non-ASCII byte in a flag
 * becomes the rune of the same number.
 */
export function extractBuilderFlags(
  line: string,
  escapeToken: '\\' | '`',
): { rest: string; flags: string[] } {
  // ASCII (the usual case) is its own UTF-8: skip the encoder.
  const b: Uint8Array | undefined = ASCII.test(line) ? undefined : encoder.encode(line);
  const n = b === undefined ? line.length : b.length;
  const esc = escapeToken.charCodeAt(0);
  const words: string[] = [];
  let phase = SPACES;
  let word = '';
  let quote = 0;
  let blankOK = false;
  let ch = 0;
  for (let pos = 0; pos <= n; pos++) {
    if (pos !== n) ch = byteAt(line, b, pos);
    if (phase === SPACES) {
      if (pos === n) break;
      if (isByteSpace(ch)) continue;
      if (ch !== 0x2d || pos + 1 === n || byteAt(line, b, pos + 1) !== 0x2d)
        return { rest: restAt(line, b, pos), flags: words };
      phase = WORD;
    }
    if (pos === n) {
      if (word !== '--' && (blankOK || word.length > 0)) words.push(word);
      break;
    }
    if (phase === WORD) {
      if (isByteSpace(ch)) {
        phase = SPACES;
        if (word === '--') return { rest: restAt(line, b, pos), flags: words };
        if (blankOK || word.length > 0) words.push(word);
        word = '';
        blankOK = false;
        continue;
      }
      if (ch === 0x27 || ch === 0x22) {
        quote = ch;
        blankOK = true;
        phase = QUOTE;
        continue;
      }
      if (ch === esc) {
        if (pos + 1 === n) continue;
        pos++;
        ch = byteAt(line, b, pos);
      }
      word += String.fromCharCode(ch);
      continue;
    }
    // phase === QUOTE
    if (ch === quote) {
      phase = WORD;
      continue;
    }
    if (ch === esc) {
      if (pos + 1 === n) {
        phase = WORD;
        continue;
      }
      pos++;
      ch = byteAt(line, b, pos);
    }
    word += String.fromCharCode(ch);
  }
  return { rest: '', flags: words };
}

const WS = /[\t\v\f\r ]+/;

/** BuildKit's `splitCommand`: keyword, flags and trimmed arguments of one logical line. */
export function splitCommand(line: string, escapeToken: '\\' | '`'): SplitCommand {
  const trimmed = goTrimSpace(line);
  const m = WS.exec(trimmed);
  if (m === null) return { cmd: trimmed, flags: [], args: '' };
  const { rest, flags } = extractBuilderFlags(trimmed.slice(m.index + m[0].length), escapeToken);
  return { cmd: trimmed.slice(0, m.index), flags, args: goTrimSpace(rest) };
}

/** Go's `reWhitespace.Split(s, 2)`. */
export function splitFirstWhitespace(s: string): string[] {
  const m = WS.exec(s);
  return m === null ? [s] : [s.slice(0, m.index), s.slice(m.index + m[0].length)];
}

/** Go's `reWhitespace.Split(s, -1)`. */
export function splitWhitespace(s: string): string[] {
  return s.split(WS);
}

/** Go's `unicode.IsSpace(rune(b))` on UTF-8 bytes; exported for HEALTHCHECK's byte walk. */
export { isByteSpace };
