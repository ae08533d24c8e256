/**
 * The part of BuildKit's shell lexer (`shell.Lex.ProcessWords`) that heredoc detection uses:
 * escape token `\`, an empty environment with `SkipUnsetEnv` (so `$x`, `${x}`, `${x:-w}` stay
 * as written), optional raw quotes and raw escapes. It reproduces the lexer's quirks, including
 * the words buffer shared with nested `${...}` processing.
 */

import { isGoSpace } from '../go-strings.ts';
import { goQuote } from './go-quote.ts';

const EOF = -1;
const ESCAPE = 0x5c;

export interface HeredocLexOptions {
  rawQuotes: boolean;
  rawEscapes: boolean;
}

/** Raised for unbalanced quotes and bad `${...}`; the message is BuildKit's. */
export class LexError extends Error {}

function isSpaceCp(cp: number): boolean {
  return cp >= 0 && cp <= 0xffff && isGoSpace(cp);
}

const LETTER_OR_DIGIT = /^[\p{L}\p{Nd}_]$/u;
const DIGIT = /^\p{Nd}$/u;

interface Words {
  words: string[];
  inWord: boolean;
}

class Lexer {
  private pos = 0;
  /** Go's shellWord.wordsBuffer: one buffer shared by every nested processStopOn. */
  private buf = '';
  private rawEscapes: boolean;

  constructor(
    private readonly src: string,
    private readonly rawQuotes: boolean,
    rawEscapes: boolean,
  ) {
    this.rawEscapes = rawEscapes;
    if (src.startsWith('\ufeff')) this.pos = 1; // text/scanner skips a leading BOM
  }

  peek(): number {
    return this.pos < this.src.length ? this.src.codePointAt(this.pos)! : EOF;
  }

  next(): number {
    const cp = this.peek();
    if (cp !== EOF) this.pos += cp > 0xffff ? 2 : 1;
    return cp;
  }

  private addChar(w: Words, cp: number): void {
    if (isSpaceCp(cp) && w.inWord) {
      if (this.buf.length !== 0) {
        w.words.push(this.buf);
        this.buf = '';
        w.inWord = false;
      }
    } else if (!isSpaceCp(cp)) {
      this.addRaw(w, String.fromCodePoint(cp));
    }
  }

  private addRaw(w: Words, s: string): void {
    this.buf += s;
    w.inWord = true;
  }

  private addString(w: Words, s: string): void {
    for (const ch of s) this.addChar(w, ch.codePointAt(0)!);
  }

  private getWords(w: Words): string[] {
    if (this.buf.length > 0) {
      w.words.push(this.buf);
      this.buf = '';
      w.inWord = false;
    }
    return w.words;
  }

  processStopOn(stop: number, rawEscapes: boolean): { result: string; words: string[] } {
    let result = '';
    this.buf = '';
    const w: Words = { words: [], inWord: false };
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    try {
      while (this.peek() !== EOF) {
        const ch = this.peek();
        if (stop !== EOF && ch === stop) {
          this.next();
          return { result, words: this.getWords(w) };
        }
        if (ch === 0x24 /* $ */) {
          const tmp = this.processDollar();
          result += tmp;
          this.addString(w, tmp);
        } else if (ch === 0x3c /* < */ || ch === 0x27 || ch === 0x22) {
          const tmp =
            ch === 0x3c
              ? this.processPossibleHeredoc()
              : ch === 0x27
                ? this.singleQuote()
                : this.doubleQuote();
          result += tmp;
          this.addRaw(w, tmp);
        } else {
          let c = this.next();
          if (c === ESCAPE) {
            if (this.rawEscapes) {
              this.addRaw(w, '\\');
              result += '\\';
            }
            c = this.next();
            if (c === EOF) break;
            this.addRaw(w, String.fromCodePoint(c));
          } else {
            this.addChar(w, c);
          }
          result += String.fromCodePoint(c);
        }
      }
      if (stop !== EOF) {
        throw new LexError(
          `unexpected end of statement while looking for matching ${String.fromCodePoint(stop)}`,
        );
      }
      return { result, words: this.getWords(w) };
    } finally {
      this.rawEscapes = saved;
    }
  }

  private singleQuote(): string {
    let out = '';
    const open = this.next();
    if (this.rawQuotes) out += String.fromCodePoint(open);
    for (;;) {
      const c = this.next();
      if (c === EOF)
        throw new LexError('unexpected end of statement while looking for matching single-quote');
      if (c === 0x27) {
        if (this.rawQuotes) out += "'";
        return out;
      }
      out += String.fromCodePoint(c);
    }
  }

  private doubleQuote(): string {
    let out = '';
    this.next();
    if (this.rawQuotes) out += '"';
    for (;;) {
      const p = this.peek();
      if (p === EOF)
        throw new LexError('unexpected end of statement while looking for matching double-quote');
      if (p === 0x22) {
        this.next();
        if (this.rawQuotes) out += '"';
        return out;
      }
      if (p === 0x24) {
        out += this.processDollar();
        continue;
      }
      let c = this.next();
      if (c === ESCAPE) {
        if (this.rawEscapes) out += '\\';
        const q = this.peek();
        if (q === EOF) continue;
        if (q === 0x22 || q === 0x24 || q === ESCAPE) c = this.next();
      }
      out += String.fromCodePoint(c);
    }
  }

  private processName(): string {
    let name = '';
    while (this.peek() !== EOF) {
      const ch = String.fromCodePoint(this.peek());
      if (name.length === 0 && DIGIT.test(ch)) {
        while (this.peek() !== EOF && DIGIT.test(String.fromCodePoint(this.peek()))) {
          name += String.fromCodePoint(this.next());
        }
        return name;
      }
      if (name.length === 0 && '@*#?-$!0'.includes(ch)) {
        this.next();
        return ch;
      }
      if (!LETTER_OR_DIGIT.test(ch)) break;
      name += String.fromCodePoint(this.next());
    }
    return name;
  }

  private nested(stop: number, rawEscapes: boolean, missing: string): string {
    try {
      return this.processStopOn(stop, rawEscapes).result;
    } catch (e) {
      if (this.peek() === EOF) throw new LexError(missing);
      throw e;
    }
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== 0x7b /* { */) {
      const name = this.processName();
      return name === '' ? '$' : `$${name}`;
    }
    this.next();
    const p = this.peek();
    if (p === EOF) throw new LexError("syntax error: missing '}'");
    if (p === 0x7b || p === 0x7d || p === 0x3a) throw new LexError('syntax error: bad substitution');
    const name = this.processName();
    let ch = this.next();
    let chs = ch === EOF ? '\ufffd' : String.fromCodePoint(ch);
    let nullIsUnset = false;
    if (ch === 0x3a /* : */) {
      nullIsUnset = true;
      ch = this.next();
      chs += ch === EOF ? '\ufffd' : String.fromCodePoint(ch);
    }
    if (nullIsUnset || ch === 0x2b || ch === 0x2d || ch === 0x3f || ch === 0x23 || ch === 0x25) {
      const raw = ch === 0x23 || ch === 0x25;
      if (nullIsUnset && raw) throw new LexError(`unsupported modifier (${chs}) in substitution`);
      const word = this.nested(0x7d, raw, "syntax error: missing '}'");
      return `\${${name}${chs}${word}}`;
    }
    switch (ch) {
      case 0x7d /* } */:
        return `\${${name}}`;
      case 0x2f /* / */:
        {
          if (this.peek() === 0x2f) this.next();
          const pattern = this.nested(0x2f, true, "syntax error: missing '/' in $" + '{}');
          const replacement = this.nested(0x7d, true, "syntax error: missing '}'");
          return `\${${name}/${pattern}/${replacement}}`;
        }
      default:
        throw new LexError(`unsupported modifier (${chs}) in substitution`);
    }
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== 0x3c) return '<';
    this.next();
    let out = '<<';
    for (let c = this.peek(); c === 0x09 || c === 0x0d || c === 0x20; c = this.peek()) {
      out += String.fromCodePoint(c);
      this.next();
    }
    return out;
  }
}

/**
 * `ProcessWords(src)` with an empty environment and SkipUnsetEnv. Throws LexError with
 * BuildKit's message (`failed to process "<src>": ...`) for unbalanced quotes and bad `${`.
 */
export function lexHeredocWords(src: string, options: HeredocLexOptions): string[] {
  const lexer = new Lexer(src, options.rawQuotes, options.rawEscapes);
  try {
    return lexer.processStopOn(EOF, options.rawEscapes).words;
  } catch (e) {
    if (e instanceof LexError) throw new LexError(`failed to process ${goQuote(src)}: ${e.message}`);
    throw e;
  }
}
