/**
 * chmod(1) symbolic modes as BuildKit applies them (`u+x,g-w`, `go=u-w`, `a+X`), with a zero
 * umask. Our own implementation of the BSD setmode rules:
 * - a clause is `[ugoa]*` followed by one or more `op perms`; clauses are separated by ',';
 * - an empty who means all bits (umask 0); `s` sets set-id bits (not for `o` alone), `t` the
 *   sticky bit (not for `o` alone); `X` is `x` when the file is a directory or already has an
 *   execute bit (judged on the mode before the whole change);
 * - `=` first clears the who bits (all but sticky when who is empty), then sets;
 * - `u`, `g`, `o` as perms copy that class's current bits.
 */

const SUID = 0o4000;
const SGID = 0o2000;
const STICKY = 0o1000;
const RWXU = 0o700;
const RWXG = 0o070;
const RWXO = 0o007;
const STANDARD = SUID | SGID | RWXU | RWXG | RWXO;
const R = 0o444;
const W = 0o222;
const X = 0o111;

type Op = '+' | '-' | '=';

type Step =
  | { kind: 'set' | 'clear'; bits: number }
  | { kind: 'X'; bits: number }
  | { kind: 'copy'; from: 'u' | 'g' | 'o'; op: Op; who: number };

/** A parsed symbolic mode; apply it with `applySymbolicMode`. */
export interface SymbolicMode {
  readonly steps: readonly Step[];
}

/** Parses a symbolic mode; undefined when the syntax is invalid. */
export function parseSymbolicMode(text: string): SymbolicMode | undefined {
  const steps: Step[] = [];
  let s = text;
  if (s === '') return undefined;
  for (;;) {
    let who = 0;
    for (;;) {
      if (s === '') return undefined;
      const c = s[0];
      if (c === 'a') who |= STANDARD;
      else if (c === 'u') who |= SUID | RWXU;
      else if (c === 'g') who |= SGID | RWXG;
      else if (c === 'o') who |= RWXO;
      else break;
      s = s.slice(1);
    }
    // One or more `op perms` groups share the clause's who.
    for (;;) {
      const op = s[0];
      if (op !== '+' && op !== '-' && op !== '=') return undefined;
      s = s.slice(1);
      let w = who;
      let perm = 0;
      let permX = 0;
      let equalDone = false;
      const flush = (): void => {
        if (perm !== 0 || (op === '=' && !equalDone)) {
          if (op === '=') {
            equalDone = true;
            steps.push({ kind: 'clear', bits: w !== 0 ? w : STANDARD });
            steps.push({ kind: 'set', bits: (w !== 0 ? w : ~0) & perm });
          } else steps.push({ kind: op === '+' ? 'set' : 'clear', bits: (w !== 0 ? w : ~0) & perm });
          perm = 0;
        }
        if (permX !== 0) {
          steps.push({ kind: 'X', bits: (w !== 0 ? w : ~0) & permX });
          permX = 0;
        }
      };
      for (;;) {
        const b = s[0];
        if (b === 'r') perm |= R;
        else if (b === 'w') perm |= W;
        else if (b === 'x') perm |= X;
        else if (b === 'X') {
          if (op === '-') perm |= X;
          else permX = X;
        } else if (b === 's') {
          if (w === 0 || (w & ~RWXO) !== 0) perm |= SUID | SGID;
        } else if (b === 't') {
          if (w === 0 || (w & ~RWXO) !== 0) {
            w |= STICKY;
            perm |= STICKY;
          }
        } else if (b === 'u' || b === 'g' || b === 'o') {
          if (perm !== 0) {
            const keep = permX;
            permX = 0;
            flush();
            permX = keep;
          }
          if (op === '=') equalDone = true;
          if (permX !== 0) {
            steps.push({ kind: 'X', bits: (w !== 0 ? w : ~0) & permX });
            permX = 0;
          }
          steps.push({ kind: 'copy', from: b, op, who: w });
        } else {
          flush();
          break;
        }
        s = s.slice(1);
      }
      if (s === '') return { steps };
      if (s[0] === ',') {
        s = s.slice(1);
        break;
      }
    }
  }
}

/** The permission/special bits (`mode & 0o7777`) after applying `m`. */
export function applySymbolicMode(m: SymbolicMode, mode: number, isDir: boolean): number {
  const original = mode & 0o7777;
  let cur = original;
  for (const step of m.steps) {
    switch (step.kind) {
      case 'set':
        cur |= step.bits & 0o7777;
        break;
      case 'clear':
        cur &= ~step.bits & 0o7777;
        break;
      case 'X':
        if ((original & X) !== 0 || isDir) cur |= step.bits & 0o7777;
        break;
      case 'copy': {
        const value =
          step.from === 'u' ? (cur & RWXU) >> 6 : step.from === 'g' ? (cur & RWXG) >> 3 : cur & RWXO;
        const targets = step.who === 0 ? RWXU | RWXG | RWXO : step.who;
        const classes: [number, number][] = [
          [R & 0o400, 6],
          [R & 0o040, 3],
          [R & 0o004, 0],
        ];
        for (const [readBit, shift] of classes) {
          if ((targets & readBit) === 0) continue;
          if (step.op === '-' || step.op === '=') {
            const clr = step.op === '=' ? 0o7 : value;
            cur &= ~(clr << shift);
          }
          if (step.op === '+' || step.op === '=') cur |= value << shift;
        }
        break;
      }
    }
  }
  return cur & 0o7777;
}
