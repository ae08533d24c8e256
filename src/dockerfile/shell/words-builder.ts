/** One character of whitespace as Go's `unicode.IsSpace` sees it. */
export function isSpace(ch: string): boolean {
  return /^\p{White_Space}$/u.test(ch);
}

/**
 * The word buffer BuildKit shares between a word and the `${...}` expressions nested in it.
 * Every nested operand (`${v:-w}`, `${v#p}`, `${v/p/r}`...) starts by clearing it, so a word's
 * unquoted text before such an expression is dropped from ProcessWords' result (BuildKit
 * behaviour, kept for compatibility: `a${x:-b}` gives the word `b`).
 */
export interface SharedBuffer {
  text: string;
}

/** Splits expanded text into words: unquoted whitespace separates, quoted text is kept whole. */
export class WordsBuilder {
  private readonly buf: SharedBuffer;
  private readonly words: string[] = [];
  private inWord = false;

  constructor(buf: SharedBuffer) {
    this.buf = buf;
    buf.text = '';
  }

  addChar(ch: string): void {
    if (isSpace(ch)) {
      if (this.inWord && this.buf.text.length !== 0) {
        this.words.push(this.buf.text);
        this.buf.text = '';
        this.inWord = false;
      }
      return;
    }
    this.addRawChar(ch);
  }

  addRawChar(ch: string): void {
    this.buf.text += ch;
    this.inWord = true;
  }

  addString(s: string): void {
    for (const ch of s) this.addChar(ch);
  }

  addRawString(s: string): void {
    this.buf.text += s;
    this.inWord = true;
  }

  finish(): string[] {
    if (this.buf.text.length > 0) {
      this.words.push(this.buf.text);
      this.buf.text = '';
      this.inWord = false;
    }
    return this.words;
  }
}
