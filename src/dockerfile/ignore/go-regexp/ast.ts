import type { CharSet } from './char-class.ts';

/** The subset of Go's regexp syntax tree that patternmatcher's translations can produce. */
export type RegexpNode =
  | { type: 'char'; set: CharSet }
  | { type: 'assert'; kind: 'begin' | 'end' | 'word-boundary' | 'not-word-boundary' }
  | { type: 'concat'; items: RegexpNode[] }
  | { type: 'alternate'; options: RegexpNode[] }
  /** `max` is `Infinity` for `*`, `+` and `{n,}`. */
  | { type: 'repeat'; item: RegexpNode; min: number; max: number };

/** A Go regexp syntax error (`regexp.Compile` failure); the caller reports it as a bad pattern. */
export class GoRegexpSyntaxError extends Error {
  constructor(code: string, expr: string) {
    super(`error parsing regexp: ${code}: \`${expr}\``);
    this.name = 'GoRegexpSyntaxError';
  }
}
