import { runeOf } from './char-class.ts';
import { addThread, matchProgram, type Position, type Program } from './program.ts';

/**
 * A fast matcher for a Program: the Pike VM's thread sets become DFA states, built on demand
 * and cached, so a pattern matched against thousands of paths costs about one table look-up
 * per character. Still linear time. Programs with `\b`/`\B` (which look at the next
 * character) and the empty input use the Pike VM. The cache is dropped past `MAX_STATES`.
 */
const MAX_STATES = 4096;

interface State {
  /** Thread program counters after closure, including blocked assertions. */
  readonly pcs: readonly number[];
  readonly hasMatch: boolean;
  /** Whether the text may end here (closure again with `$` true, not at the start). */
  endMatch: boolean | undefined;
  readonly ascii: (State | undefined)[];
  readonly other: Map<number, State>;
}

const MIDDLE: Position = { atStart: false, atEnd: false, prev: undefined, next: undefined };
const START: Position = { atStart: true, atEnd: false, prev: undefined, next: undefined };
const END: Position = { atStart: false, atEnd: true, prev: undefined, next: undefined };

export class LazyDfa {
  private states = new Map<string, State>();
  private initial: State | undefined;
  private readonly usePikeVm: boolean;

  constructor(private readonly prog: Program) {
    this.usePikeVm = prog.instrs.some(
      (i) => i.op === 'assert' && (i.kind === 'word-boundary' || i.kind === 'not-word-boundary'),
    );
  }

  /** Go's `MatchString`: does the regexp match anywhere in `input`? */
  match(input: string): boolean {
    if (this.usePikeVm || input === '') return matchProgram(this.prog, input);
    if (this.states.size > MAX_STATES || this.initial === undefined) {
      this.states = new Map();
      const list = new Set<number>();
      addThread(this.prog, list, this.prog.start, START);
      this.initial = this.intern(list);
    }
    let s = this.initial;
    for (let i = 0; i < input.length; i++) {
      if (s.hasMatch) return true;
      let cp = input.charCodeAt(i);
      if (cp < 128) {
        s = s.ascii[cp] ?? this.step(s, cp);
        continue;
      }
      cp = input.codePointAt(i)!;
      if (cp > 0xffff) i++;
      cp = runeOf(cp);
      s = s.other.get(cp) ?? this.step(s, cp);
    }
    if (s.hasMatch) return true;
    s.endMatch ??= this.endMatches(s);
    return s.endMatch;
  }

  private step(s: State, cp: number): State {
    const list = new Set<number>();
    for (const pc of s.pcs) {
      const ins = this.prog.instrs[pc]!;
      if (ins.op === 'char' && ins.set(cp)) addThread(this.prog, list, ins.next, MIDDLE);
    }
    addThread(this.prog, list, this.prog.start, MIDDLE);
    const next = this.intern(list);
    if (cp < 128) s.ascii[cp] = next;
    else s.other.set(cp, next);
    return next;
  }

  private endMatches(s: State): boolean {
    const list = new Set<number>();
    for (const pc of s.pcs) addThread(this.prog, list, pc, END);
    for (const pc of list) if (this.prog.instrs[pc]!.op === 'match') return true;
    return false;
  }

  private intern(list: Set<number>): State {
    const pcs = [...list].sort((a, b) => a - b);
    const key = pcs.join(',');
    let state = this.states.get(key);
    if (state === undefined) {
      state = {
        pcs,
        hasMatch: pcs.some((pc) => this.prog.instrs[pc]!.op === 'match'),
        endMatch: undefined,
        ascii: new Array<State | undefined>(128).fill(undefined),
        other: new Map(),
      };
      this.states.set(key, state);
    }
    return state;
  }
}
