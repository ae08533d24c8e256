import type { RegexpNode } from './ast.ts';
import { GoRegexpSyntaxError } from './ast.ts';
import {
  anyButNewline,
  type CharSet,
  negate,
  perlClass,
  posixClass,
  range,
  single,
  toRune,
  unicodeGroup,
  union,
} from './char-class.ts';

/**
 * Parses Go regexp syntax (`regexp.Compile`: Perl flags, no case folding, `.` excludes `\n`,
 * `^`/`$` anchor the whole text) into a tree, failing where Go fails. It covers what
 * patternmatcher's translation can emit: literals, `\` escapes (`\d`, `\pL`, `\Q…\E`, `\x41`,
 * octal, `\b`, `\A`, `\z`), classes with ranges, POSIX names and negation, `.`, `^`, `$`,
 * `|`, `(…)` groups and the `*`, `+`, `?`, `{n,m}` operators. `(?…)` never reaches it
 * (upstream escapes `(`; its only groups are the ones it writes for `**`) and is rejected.
 */
export function parseGoRegexp(source: string): RegexpNode {
  return new Parser(Array.from(source, (c) => String.fromCodePoint(toRune(c)))).parse();
}

function alternation(alternatives: RegexpNode[][]): RegexpNode {
  const options = alternatives.map((items): RegexpNode => ({ type: 'concat', items }));
  return options.length === 1 ? options[0]! : { type: 'alternate', options };
}

const isOctal = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';

function hexValue(c: string | undefined): number {
  if (c === undefined || !/^[0-9a-fA-F]$/.test(c)) return -1;
  return Number.parseInt(c, 16);
}

class Parser {
  private pos = 0;
  constructor(private readonly s: string[]) {}

  private rest(from = this.pos): string {
    return this.s.slice(from).join('');
  }

  private fail(code: string, from: number, to = this.s.length): never {
    throw new GoRegexpSyntaxError(code, this.s.slice(from, to).join(''));
  }

  parse(): RegexpNode {
    // One frame per open group; each holds its alternatives, the last one being built.
    const frames: RegexpNode[][][] = [[[]]];
    let lastRepeat = false;
    while (this.pos < this.s.length) {
      const alternatives = frames[frames.length - 1]!;
      const items = alternatives[alternatives.length - 1]!;
      const start = this.pos;
      const ch = this.s[this.pos]!;
      let repeated = false;
      switch (ch) {
        case '(':
          // upstream escapes `(`; the only groups are the ones it writes for `**`
          if (this.s[this.pos + 1] === '?') this.fail('unsupported construct', start, start + 2);
          this.pos++;
          frames.push([[]]);
          break;
        case ')': {
          if (frames.length === 1) this.fail('unexpected )', 0);
          this.pos++;
          const group = alternation(frames.pop()!);
          const outer = frames[frames.length - 1]!;
          outer[outer.length - 1]!.push(group);
          break;
        }
        case '|':
          this.pos++;
          alternatives.push([]);
          break;
        case '^':
          this.pos++;
          items.push({ type: 'assert', kind: 'begin' });
          break;
        case '$':
          this.pos++;
          items.push({ type: 'assert', kind: 'end' });
          break;
        case '.':
          this.pos++;
          items.push({ type: 'char', set: anyButNewline });
          break;
        case '[':
          items.push({ type: 'char', set: this.parseClass() });
          break;
        case '*':
        case '+':
        case '?':
          this.pos++;
          this.repeat(
            items,
            start,
            lastRepeat,
            ch === '+' ? 1 : 0,
            ch === '?' ? 1 : Number.POSITIVE_INFINITY,
          );
          repeated = true;
          break;
        case '{': {
          const counts = this.parseRepeatCounts();
          if (counts === undefined) {
            this.pos++;
            items.push({ type: 'char', set: single(0x7b) });
            break;
          }
          const [min, max] = counts;
          if (min > 1000 || (max !== Number.POSITIVE_INFINITY && (max > 1000 || min > max))) {
            this.fail('invalid repeat count', start, this.pos);
          }
          this.repeat(items, start, lastRepeat, min, max);
          repeated = true;
          break;
        }
        case '\\':
          this.parseTopEscape(items);
          break;
        default:
          this.pos++;
          items.push({ type: 'char', set: single(ch.codePointAt(0)!) });
      }
      lastRepeat = repeated;
    }
    if (frames.length > 1) this.fail('missing closing )', 0);
    return alternation(frames[0]!);
  }

  /** Applies a repetition operator that ran from `start` to here to the last item. */
  private repeat(items: RegexpNode[], start: number, lastRepeat: boolean, min: number, max: number): void {
    if (this.s[this.pos] === '?') this.pos++; // non-greedy: same yes/no answer
    if (lastRepeat) this.fail('invalid nested repetition operator', start, this.pos);
    const item = items.pop();
    if (item === undefined) this.fail('missing argument to repetition operator', start, this.pos);
    items.push({ type: 'repeat', item, min, max });
  }

  /** Go's `parseRepeat`: `{n}`, `{n,}` or `{n,m}` at the current position (consumed), or undefined. */
  private parseRepeatCounts(): [number, number] | undefined {
    const m = /^\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/.exec(this.rest());
    if (m === null) return undefined;
    this.pos += m[0].length;
    const toInt = (digits: string): number => (digits.length > 8 ? Number.POSITIVE_INFINITY : Number(digits));
    const min = toInt(m[1]!);
    if (m[2] === undefined) return [min, min];
    if (m[3] === undefined) return [min, Number.POSITIVE_INFINITY];
    const max = toInt(m[3]);
    return [min, max === Number.POSITIVE_INFINITY ? 1001 : max];
  }

  private parseTopEscape(items: RegexpNode[]): void {
    const start = this.pos;
    const next = this.s[this.pos + 1];
    const asserts: Record<string, 'begin' | 'end' | 'word-boundary' | 'not-word-boundary'> = {
      A: 'begin',
      z: 'end',
      b: 'word-boundary',
      B: 'not-word-boundary',
    };
    if (next !== undefined && Object.hasOwn(asserts, next)) {
      this.pos += 2;
      items.push({ type: 'assert', kind: asserts[next]! });
      return;
    }
    if (next === 'C') this.fail('invalid escape sequence', start, start + 2);
    if (next === 'Q') {
      const body = this.rest(start + 2);
      const end = body.indexOf('\\E');
      const literal = end < 0 ? body : body.slice(0, end);
      for (const cp of literal) items.push({ type: 'char', set: single(cp.codePointAt(0)!) });
      this.pos = end < 0 ? this.s.length : start + 2 + Array.from(literal).length + 2;
      return;
    }
    const set = this.parseUnicodeGroup() ?? this.parsePerlClass();
    if (set !== undefined) {
      items.push({ type: 'char', set });
      return;
    }
    items.push({ type: 'char', set: single(this.parseEscape()) });
  }

  /** `\pL`, `\p{Name}`, `\P…`, `\p{^Name}` at the current position, or undefined if not one. */
  private parseUnicodeGroup(): CharSet | undefined {
    const start = this.pos;
    const kind = this.s[start + 1];
    if (this.s[start] !== '\\' || (kind !== 'p' && kind !== 'P')) return undefined;
    let negated = kind === 'P';
    let name: string;
    let end: number;
    if (this.s[start + 2] !== '{') {
      name = this.s[start + 2] ?? '';
      end = Math.min(start + 3, this.s.length);
    } else {
      const close = this.s.indexOf('}', start);
      if (close < 0) this.fail('invalid character class range', start);
      name = this.s.slice(start + 3, close).join('');
      end = close + 1;
    }
    if (name.startsWith('^')) {
      negated = !negated;
      name = name.slice(1);
    }
    const set = unicodeGroup(name);
    if (set === undefined) this.fail('invalid character class range', start, end);
    this.pos = end;
    return negated ? negate(set) : set;
  }

  private parsePerlClass(): CharSet | undefined {
    const letter = this.s[this.pos + 1];
    if (this.s[this.pos] !== '\\' || letter === undefined || !/^[dDsSwW]$/.test(letter)) return undefined;
    this.pos += 2;
    return perlClass(letter);
  }

  /** Go's `parseEscape`: one escaped character (the `\` is at the current position). */
  private parseEscape(): number {
    const start = this.pos;
    const c = this.s[start + 1];
    if (c === undefined) this.fail('trailing backslash at end of expression', start, start);
    this.pos = start + 2;
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !/^[0-9A-Za-z]$/.test(c)) return cp;
    if (c >= '1' && c <= '7' && !isOctal(this.s[this.pos]))
      this.fail('invalid escape sequence', start, this.pos);
    if (c >= '0' && c <= '7') {
      let r = cp - 0x30;
      for (let i = 1; i < 3 && isOctal(this.s[this.pos]); i++)
        r = r * 8 + this.s[this.pos++]!.codePointAt(0)! - 0x30;
      return r;
    }
    if (c === 'x') return this.parseHexEscape(start);
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (Object.hasOwn(simple, c)) return simple[c]!;
    this.fail('invalid escape sequence', start, this.pos);
  }

  private parseHexEscape(start: number): number {
    const first = this.s[this.pos];
    if (first === undefined) this.fail('invalid escape sequence', start, this.pos);
    this.pos++;
    if (first === '{') {
      let r = 0;
      let digits = 0;
      for (;;) {
        const d = this.s[this.pos++];
        if (d === undefined) this.fail('invalid escape sequence', start, this.s.length);
        if (d === '}') break;
        const v = hexValue(d);
        r = r * 16 + v;
        if (v < 0 || r > 0x10ffff) this.fail('invalid escape sequence', start, this.pos);
        digits++;
      }
      if (digits === 0) this.fail('invalid escape sequence', start, this.pos);
      return r;
    }
    const second = this.s[this.pos++];
    const x = hexValue(first);
    const y = hexValue(second);
    if (x < 0 || y < 0) this.fail('invalid escape sequence', start, Math.min(this.pos, this.s.length));
    return x * 16 + y;
  }

  /** Go's `parseClass` (the `[` is at the current position). */
  private parseClass(): CharSet {
    const start = this.pos;
    this.pos++;
    let negated = false;
    if (this.s[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const parts: CharSet[] = [];
    let first = true;
    while (this.pos >= this.s.length || this.s[this.pos] !== ']' || first) {
      first = false;
      if (this.s[this.pos] === '[' && this.s[this.pos + 1] === ':' && this.pos + 2 < this.s.length) {
        const named = this.parseNamedClass();
        if (named !== undefined) {
          parts.push(named);
          continue;
        }
      }
      const group = this.parseUnicodeGroup() ?? this.parsePerlClass();
      if (group !== undefined) {
        parts.push(group);
        continue;
      }
      const rangeStart = this.pos;
      const lo = this.parseClassChar(start);
      let hi = lo;
      if (this.s[this.pos] === '-' && this.pos + 1 < this.s.length && this.s[this.pos + 1] !== ']') {
        this.pos++;
        hi = this.parseClassChar(start);
        if (hi < lo) this.fail('invalid character class range', rangeStart, this.pos);
      }
      parts.push(range(lo, hi));
    }
    this.pos++; // the ]
    const set = union(parts);
    return negated ? negate(set) : set;
  }

  /** `[:name:]`: the name ends at the first `:]` anywhere after it, as in Go. */
  private parseNamedClass(): CharSet | undefined {
    const rest = this.rest();
    const i = rest.indexOf(':]', 2);
    if (i < 0) return undefined;
    const name = rest.slice(0, i + 2);
    const set = posixClass(name);
    if (set === undefined)
      this.fail('invalid character class range', this.pos, this.pos + Array.from(name).length);
    this.pos += Array.from(name).length;
    return set;
  }

  private parseClassChar(classStart: number): number {
    const c = this.s[this.pos];
    if (c === undefined) this.fail('missing closing ]', classStart);
    if (c === '\\') return this.parseEscape();
    this.pos++;
    return c.codePointAt(0)!;
  }
}
