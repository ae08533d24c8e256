// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are shell ${...} syntax, not JS templates
import type { EnvGetter } from './env-getter.ts';
import { replaceAll, replaceFirst, trimPrefix, trimSuffix } from './pattern-ops.ts';
import { ShellFailure, syntaxFailure } from './shell-error.ts';
import { type SharedBuffer, WordsBuilder } from './words-builder.ts';

/** Settings of one expansion, fixed for its duration. */
export interface ShellWordSettings {
  escapeToken: string;
  rawQuotes: boolean;
  rawEscapes: boolean;
  skipUnsetEnv: boolean;
  skipProcessQuotes: boolean;
}

/** Go's `string(rune)` of the scanner's EOF (-1). */
const EOF_TEXT = '\uFFFD';
const SPECIAL_PARAMS = new Set(['@', '*', '#', '?', '-', '$', '!', '0']);
const DIGIT = /^\p{Nd}$/u;
const NAME_CHAR = /^[\p{L}\p{Nd}_]$/u;
const HEREDOC_SPACE = new Set(['\t', '\r', ' ']);
/** Nested `${...}` operands allowed; BuildKit has no limit, but a JS stack is finite. */
export const MAX_NESTING = 256;

/**
 * One pass of BuildKit's shell-word processing over one word: quotes, escapes and `$`
 * expansions, collecting the result string, its words, and the variable names looked up.
 */
export class ShellWord {
  readonly matched = new Set<string>();
  readonly unmatched = new Set<string>();
  private readonly chars: string[];
  private pos: number;
  private rawEscapes: boolean;
  private depth = 0;
  private readonly shared: SharedBuffer = { text: '' };

  constructor(
    word: string,
    private readonly env: EnvGetter,
    private readonly opts: ShellWordSettings,
  ) {
    this.chars = Array.from(word);
    // Go's text/scanner skips a byte order mark at the very start.
    this.pos = this.chars[0] === '\uFEFF' ? 1 : 0;
    this.rawEscapes = opts.rawEscapes;
  }

  run(): { result: string; words: string[] } {
    return this.processStopOn(undefined, this.rawEscapes);
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private next(): string | undefined {
    const ch = this.chars[this.pos];
    if (ch !== undefined) this.pos++;
    return ch;
  }

  /** Processes up to `stop` (consumed) or, when `stop` is undefined, to the end of the word. */
  private processStopOn(stop: string | undefined, rawEscapes: boolean): { result: string; words: string[] } {
    if (this.depth > MAX_NESTING) {
      throw new ShellFailure('E_SHELL_TOO_DEEP', `more than ${MAX_NESTING} nested \${...} expressions`);
    }
    const saved = this.rawEscapes;
    this.rawEscapes = rawEscapes;
    this.depth++;
    try {
      return this.scan(stop);
    } finally {
      this.rawEscapes = saved;
      this.depth--;
    }
  }

  private scan(stop: string | undefined): { result: string; words: string[] } {
    let result = '';
    const words = new WordsBuilder(this.shared);
    const quotes = !this.opts.skipProcessQuotes;
    const esc = this.opts.escapeToken;
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (stop !== undefined && ch === stop) {
        this.next();
        return { result, words: words.finish() };
      }
      if (ch === '$') {
        const value = this.processDollar();
        result += value;
        words.addString(value);
      } else if (ch === '<' || (quotes && (ch === "'" || ch === '"'))) {
        const value =
          ch === '<' ? this.processPossibleHeredoc() : ch === "'" ? this.singleQuote() : this.doubleQuote();
        result += value;
        words.addRawString(value);
      } else {
        this.next();
        if (ch === esc) {
          if (this.rawEscapes) {
            words.addRawChar(ch);
            result += ch;
          }
          const escaped = this.next();
          if (escaped === undefined) break;
          words.addRawChar(escaped);
          result += escaped;
        } else {
          words.addChar(ch);
          result += ch;
        }
      }
    }
    if (stop !== undefined) {
      throw syntaxFailure(`unexpected end of statement while looking for matching ${stop}`);
    }
    return { result, words: words.finish() };
  }

  private singleQuote(): string {
    const open = this.next() as string;
    let result = this.opts.rawQuotes ? open : '';
    for (;;) {
      const ch = this.next();
      if (ch === undefined)
        throw syntaxFailure('unexpected end of statement while looking for matching single-quote');
      if (ch === "'") return this.opts.rawQuotes ? result + ch : result;
      result += ch;
    }
  }

  private doubleQuote(): string {
    const open = this.next() as string;
    let result = this.opts.rawQuotes ? open : '';
    const esc = this.opts.escapeToken;
    for (;;) {
      const peeked = this.peek();
      if (peeked === undefined) {
        throw syntaxFailure('unexpected end of statement while looking for matching double-quote');
      }
      if (peeked === '"') {
        this.next();
        return this.opts.rawQuotes ? `${result}"` : result;
      }
      if (peeked === '$') {
        result += this.processDollar();
        continue;
      }
      let ch = this.next() as string;
      if (ch === esc) {
        if (this.rawEscapes) result += ch;
        const after = this.peek();
        // An escape at the very end is dropped; the missing quote is reported next round.
        if (after === undefined) continue;
        if (after === '"' || after === '$' || after === esc) ch = this.next() as string;
      }
      result += ch;
    }
  }

  private processPossibleHeredoc(): string {
    this.next();
    if (this.peek() !== '<') return '<';
    this.next();
    let result = '<<';
    for (let ch = this.peek(); ch !== undefined && HEREDOC_SPACE.has(ch); ch = this.peek()) {
      result += ch;
      this.next();
    }
    return result;
  }

  /** A name after `$`: a run of digits, one special parameter, or letters/digits/underscores. */
  private processName(): string {
    let name = '';
    for (let ch = this.peek(); ch !== undefined; ch = this.peek()) {
      if (name === '' && DIGIT.test(ch)) {
        for (let d = this.peek(); d !== undefined && DIGIT.test(d); d = this.peek()) name += this.next();
        return name;
      }
      if (name === '' && SPECIAL_PARAMS.has(ch)) {
        this.next();
        return ch;
      }
      if (!NAME_CHAR.test(ch)) break;
      name += this.next();
    }
    return name;
  }

  private getEnv(name: string): string | undefined {
    const value = this.env.get(name);
    (value === undefined ? this.unmatched : this.matched).add(name);
    return value;
  }

  private processDollar(): string {
    this.next();
    if (this.peek() !== '{') {
      const name = this.processName();
      if (name === '') return '$';
      const value = this.getEnv(name);
      if (value === undefined && this.opts.skipUnsetEnv) return `$${name}`;
      return value ?? '';
    }
    this.next();
    const first = this.peek();
    if (first === undefined) throw syntaxFailure("syntax error: missing '}'");
    if (first === '{' || first === '}' || first === ':')
      throw syntaxFailure('syntax error: bad substitution');
    const name = this.processName();
    const op = this.next();
    if (op === '}') {
      const value = this.getEnv(name);
      if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}}`;
      return value ?? '';
    }
    if (op === '/') return this.substituteReplace(name);
    if (op === ':') {
      const modifier = this.next();
      return this.substituteModifier(name, modifier, `:${modifier ?? EOF_TEXT}`, true);
    }
    if (op === '+' || op === '-' || op === '?' || op === '#' || op === '%') {
      return this.substituteModifier(name, op, op, false);
    }
    throw unsupported(op ?? EOF_TEXT);
  }

  /** `${name<op>word}` for the operators that take one operand up to `}`. */
  private substituteModifier(
    name: string,
    op: string | undefined,
    opText: string,
    nullIsUnset: boolean,
  ): string {
    const trims = op === '#' || op === '%';
    if (nullIsUnset && trims) throw unsupported(opText);
    const word = this.operand('}', trims, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}${opText}${word}}`;
    const empty = value === undefined || (nullIsUnset && value === '');
    switch (op) {
      case '-':
        return empty ? word : (value as string);
      case '+':
        return empty ? '' : word;
      case '?':
        if (value === undefined) throw required(name, word || 'is not allowed to be unset');
        if (nullIsUnset && value === '') throw required(name, word || 'is not allowed to be empty');
        return value;
      case '#':
      case '%': {
        const greedy = word.startsWith(op);
        const pattern = greedy ? word.slice(1) : word;
        return op === '%'
          ? trimSuffix(pattern, value ?? '', greedy)
          : trimPrefix(pattern, value ?? '', greedy);
      }
      default:
        throw unsupported(opText);
    }
  }

  /** `${name/pattern/replacement}` and `${name//pattern/replacement}`. */
  private substituteReplace(name: string): string {
    const all = this.peek() === '/';
    if (all) this.next();
    const pattern = this.operand('/', true, "syntax error: missing '/' in ${}");
    const replacement = this.operand('}', true, "syntax error: missing '}'");
    const value = this.getEnv(name);
    if (value === undefined && this.opts.skipUnsetEnv) return `\${${name}/${pattern}/${replacement}}`;
    return all
      ? replaceAll(pattern, value ?? '', replacement)
      : replaceFirst(pattern, value ?? '', replacement);
  }

  /** An operand inside `${...}`; any failure that ran off the end becomes `atEnd`. */
  private operand(stop: string, rawEscapes: boolean, atEnd: string): string {
    try {
      return this.processStopOn(stop, rawEscapes).result;
    } catch (e) {
      if (e instanceof ShellFailure && this.peek() === undefined) throw syntaxFailure(atEnd);
      throw e;
    }
  }
}

function unsupported(opText: string): ShellFailure {
  return syntaxFailure(`unsupported modifier (${opText}) in substitution`);
}

function required(name: string, message: string): ShellFailure {
  return new ShellFailure('E_SHELL_VAR_REQUIRED', `${name}: ${message}`, name);
}
