import type { RegexpNode } from './ast.ts';
import { type CharSet, toRune } from './char-class.ts';

/**
 * A regexp compiled to a Thompson NFA and run as a Pike VM: time linear in the input times
 * the program size, whatever the pattern (no backtracking, so `*a*a*a*b` cannot blow up).
 */
export type Instr =
  | { op: 'char'; set: CharSet; next: number }
  | { op: 'split'; a: number; b: number }
  | { op: 'assert'; kind: AssertKind; next: number }
  | { op: 'match' };

export type AssertKind = Extract<RegexpNode, { type: 'assert' }>['kind'];

export interface Program {
  readonly instrs: readonly Instr[];
  readonly start: number;
}

export function compileProgram(node: RegexpNode): Program {
  const instrs: Instr[] = [{ op: 'match' }];
  const emit = (i: Instr): number => instrs.push(i) - 1;
  /** Compiles `n` so that it continues at `next`; returns its entry. */
  const compile = (n: RegexpNode, next: number): number => {
    switch (n.type) {
      case 'char':
        return emit({ op: 'char', set: n.set, next });
      case 'assert':
        return emit({ op: 'assert', kind: n.kind, next });
      case 'concat': {
        let entry = next;
        for (let i = n.items.length - 1; i >= 0; i--) entry = compile(n.items[i]!, entry);
        return entry;
      }
      case 'alternate': {
        let entry = compile(n.options[n.options.length - 1]!, next);
        for (let i = n.options.length - 2; i >= 0; i--)
          entry = emit({ op: 'split', a: compile(n.options[i]!, next), b: entry });
        return entry;
      }
      case 'repeat': {
        let entry = next;
        if (n.max === Number.POSITIVE_INFINITY) {
          const loop: Instr = { op: 'split', a: -1, b: next };
          entry = emit(loop);
          loop.a = compile(n.item, entry);
        } else {
          for (let i = n.min; i < n.max; i++)
            entry = emit({ op: 'split', a: compile(n.item, entry), b: entry });
        }
        for (let i = 0; i < n.min; i++) entry = compile(n.item, entry);
        return entry;
      }
    }
  };
  return { instrs, start: compile(node, 0) };
}

const isWordChar = (cp: number | undefined): boolean =>
  cp !== undefined &&
  ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f || (cp >= 0x61 && cp <= 0x7a));

/** What the zero-width assertions see at one position; `undefined` next = unknown (liberal). */
export interface Position {
  atStart: boolean;
  atEnd: boolean | undefined;
  prev: number | undefined;
  next: number | undefined;
}

function assertHolds(kind: AssertKind, p: Position): boolean {
  if (p.atEnd === undefined && kind !== 'begin') return true;
  switch (kind) {
    case 'begin':
      return p.atStart;
    case 'end':
      return p.atEnd === true;
    case 'word-boundary':
      return isWordChar(p.prev) !== isWordChar(p.next);
    case 'not-word-boundary':
      return isWordChar(p.prev) === isWordChar(p.next);
  }
}

/** Adds `pc` and everything reachable from it without reading a character. */
export function addThread(prog: Program, list: Set<number>, pc: number, p: Position): void {
  const stack = [pc];
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (list.has(at)) continue;
    list.add(at);
    const ins = prog.instrs[at]!;
    if (ins.op === 'split') stack.push(ins.b, ins.a);
    else if (ins.op === 'assert' && assertHolds(ins.kind, p)) stack.push(ins.next);
  }
}

/**
 * Runs `prog` over the code points of `input` as Go's `MatchString` does (a match may start
 * and end anywhere; anchors are in the program). With `open`, `input` is only a prefix of
 * the text: returns true if some continuation of it could match.
 */
function run(prog: Program, input: string, open: boolean): boolean {
  const cps = Array.from(input, toRune);
  let list = new Set<number>();
  for (let i = 0; i <= cps.length; i++) {
    const last = i === cps.length;
    const pos: Position = {
      atStart: i === 0,
      atEnd: last ? (open ? undefined : true) : false,
      prev: cps[i - 1],
      next: cps[i],
    };
    addThread(prog, list, prog.start, pos);
    for (const pc of list) if (prog.instrs[pc]!.op === 'match') return true;
    if (last) break;
    const next = new Set<number>();
    const nextPos: Position = {
      atStart: false,
      atEnd: i + 1 === cps.length ? (open ? undefined : true) : false,
      prev: cps[i],
      next: cps[i + 1],
    };
    for (const pc of list) {
      const ins = prog.instrs[pc]!;
      if (ins.op === 'char' && ins.set(cps[i]!)) addThread(prog, next, ins.next, nextPos);
    }
    list = next;
  }
  return open && canReachMatch(prog, list, cps.length === 0);
}

/**
 * Whether `match` is reachable from `from` through unknown text: every character and
 * assertion counts as passable, except `^`/`\A` once past the start.
 */
function canReachMatch(prog: Program, from: Iterable<number>, atStart: boolean): boolean {
  const seen = new Set<number>();
  const stack = [...from];
  while (stack.length > 0) {
    const at = stack.pop()!;
    if (seen.has(at)) continue;
    seen.add(at);
    const ins = prog.instrs[at]!;
    if (ins.op === 'match') return true;
    if (ins.op === 'split') stack.push(ins.a, ins.b);
    else if (ins.op === 'char' || ins.kind !== 'begin' || atStart) stack.push(ins.next);
  }
  return false;
}

export function matchProgram(prog: Program, input: string): boolean {
  return run(prog, input, false);
}

/** Conservative: false only when no text starting with `prefix` can match. */
export function couldMatchWithPrefix(prog: Program, prefix: string): boolean {
  return run(prog, prefix, true);
}
