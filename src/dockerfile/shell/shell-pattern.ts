import { ShellFailure } from './shell-error.ts';

/**
 * A shell pattern as BuildKit's `${VAR#...}`, `${VAR%...}` and `${VAR/.../...}` read it: `*` is
 * any run of characters, `?` one character (neither crosses a newline, as Go's regexp `.`),
 * `\*` `\?` `\\` are literal, `\}` and `\/` are the characters `}` and `/`, and everything
 * else, `[` included, is literal. Any other escape is an error.
 *
 * The pattern is kept as literal/any segments between stars and matched with the
 * leftmost-first preference of a backtracking regexp (what Go's regexp returns), but in time
 * linear in pattern × text, so no input can make it slow.
 */
export interface ShellPattern {
  /** Pieces of fixed length (a code point, or null for `?`) between stars. */
  segments: (string | null)[][];
  /** Whether `*` prefers the longest run (`##`, `%%`, `/`) or the shortest (`#`, `%`). */
  greedy: boolean;
}

const REPLACEMENT_CHAR = '\uFFFD';

/** Parses `pattern`; throws ShellFailure E_SHELL_BAD_PATTERN for an escape BuildKit rejects. */
export function compileShellPattern(pattern: string, greedy: boolean): ShellPattern {
  const chars = Array.from(pattern);
  // Go's text/scanner drops a byte order mark at the very start of its input.
  let i = chars[0] === '\uFEFF' ? 1 : 0;
  const segments: (string | null)[][] = [[]];
  let current = segments[0] as (string | null)[];
  for (; i < chars.length; i++) {
    let ch = chars[i] as string;
    if (ch === '*') {
      if (current.length > 0 || segments.length === 1) {
        current = [];
        segments.push(current);
      }
      continue;
    }
    if (ch === '?') {
      current.push(null);
      continue;
    }
    if (ch === '\\') {
      const next = chars[i + 1];
      if (next === '}' || next === '/') continue;
      i++;
      ch = next ?? REPLACEMENT_CHAR;
      if (ch !== '*' && ch !== '?' && ch !== '\\') {
        throw new ShellFailure('E_SHELL_BAD_PATTERN', `invalid escape '\\${ch}'`);
      }
    }
    current.push(ch);
  }
  return { segments, greedy };
}

/** A pattern prepared against one text; reusable for several searches in that text. */
export class PatternMatcher {
  private readonly text: string[];
  private readonly segs: (string | null)[][];
  private readonly greedy: boolean;
  /** starRows[j][p]: the pattern after segment j (star j, then segment j+1, ...) matches at p. */
  private readonly starRows: Uint8Array[];

  constructor(pattern: ShellPattern, text: string[]) {
    this.text = text;
    this.segs = pattern.segments;
    this.greedy = pattern.greedy;
    const n = text.length;
    const stars = this.segs.length - 1;
    this.starRows = new Array<Uint8Array>(stars);
    for (let j = stars - 1; j >= 0; j--) {
      const row = new Uint8Array(n + 1);
      for (let p = n; p >= 0; p--) {
        const viaRun = p < n && text[p] !== '\n' && row[p + 1] === 1;
        row[p] = this.restMatches(j + 1, p) || viaRun ? 1 : 0;
      }
      this.starRows[j] = row;
    }
  }

  /** The end of the match starting exactly at `start`, or -1. */
  matchAt(start: number): number {
    if (!this.restMatches(0, start)) return -1;
    let p = start;
    const stars = this.segs.length - 1;
    for (let j = 0; j < stars; j++) {
      p += (this.segs[j] as (string | null)[]).length;
      p = this.chooseRun(j, p);
    }
    return p + (this.segs[stars] as (string | null)[]).length;
  }

  /** The leftmost match at or after `from`, as [start, end], or undefined. */
  find(from: number): [number, number] | undefined {
    for (let s = from; s <= this.text.length; s++) {
      const end = this.matchAt(s);
      if (end >= 0) return [s, end];
    }
    return undefined;
  }

  /** Where star j, starting at p, stops: the longest or shortest run after which the rest matches. */
  private chooseRun(j: number, p: number): number {
    let limit = p;
    while (limit < this.text.length && this.text[limit] !== '\n') limit++;
    if (this.greedy) {
      for (let q = limit; q >= p; q--) if (this.restMatches(j + 1, q)) return q;
    } else {
      for (let q = p; q <= limit; q++) if (this.restMatches(j + 1, q)) return q;
    }
    throw new Error('shell pattern: star run chosen without a feasible end');
  }

  /** Segment j matches at p and the pattern after it matches where it ends. */
  private restMatches(j: number, p: number): boolean {
    const seg = this.segs[j] as (string | null)[];
    if (p + seg.length > this.text.length) return false;
    for (let k = 0; k < seg.length; k++) {
      const want = seg[k];
      const got = this.text[p + k];
      if (want === null ? got === '\n' : got !== want) return false;
    }
    const row = this.starRows[j];
    return row === undefined || row[p + seg.length] === 1;
  }
}
