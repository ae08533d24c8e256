import { isGoSpace } from '../go-strings.ts';

const SPACES = 0;
const WORD = 1;
const QUOTE = 2;

function isSpaceCp(cp: number): boolean {
  return cp <= 0xffff && isGoSpace(cp);
}

/**
 * BuildKit's `parseWords`: split on unquoted whitespace, keeping quotes and escape characters
 * in the words (they are removed later by the shell lexer). An escape character at the very end
 * is dropped.
 */
export function parseWords(rest: string, escapeToken: '\\' | '`' = '\\'): string[] {
  const esc = escapeToken.charCodeAt(0);
  const n = rest.length;
  const words: string[] = [];
  let phase = SPACES;
  let quote = 0;
  let blankOK = false;
  let buf = '';
  let ch = 0;
  let w = 0;
  for (let pos = 0; pos <= n; pos += w) {
    if (pos !== n) {
      ch = rest.codePointAt(pos)!;
      w = ch > 0xffff ? 2 : 1;
    }
    if (phase === SPACES) {
      if (pos === n) break;
      if (isSpaceCp(ch)) continue;
      phase = WORD;
    }
    if (pos === n) {
      if (blankOK || buf.length > 0) words.push(buf);
      break;
    }
    if (phase === WORD) {
      if (isSpaceCp(ch)) {
        phase = SPACES;
        if (blankOK || buf.length > 0) words.push(buf);
        buf = '';
        blankOK = false;
        continue;
      }
      if (ch === 0x27 || ch === 0x22) {
        quote = ch;
        blankOK = true;
        phase = QUOTE;
      }
      if (ch === esc) {
        if (pos + w === n) continue;
        buf += escapeToken;
        pos += w;
        ch = rest.codePointAt(pos)!;
        w = ch > 0xffff ? 2 : 1;
      }
      buf += String.fromCodePoint(ch);
      continue;
    }
    // phase === QUOTE
    if (ch === quote) phase = WORD;
    if (ch === esc && quote !== 0x27) {
      if (pos + w === n) {
        phase = WORD;
        continue;
      }
      pos += w;
      buf += escapeToken;
      ch = rest.codePointAt(pos)!;
      w = ch > 0xffff ? 2 : 1;
    }
    buf += String.fromCodePoint(ch);
  }
  return words;
}
