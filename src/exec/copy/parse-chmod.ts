import { GantryError } from '../../errors/gantry-error.ts';
import { applySymbolicMode, parseSymbolicMode, type SymbolicMode } from './symbolic-mode.ts';

/** A `--chmod` value: an octal mode, or a symbolic one applied to each entry's own mode. */
export type ChmodSpec =
  | { kind: 'octal'; mode: number }
  | { kind: 'symbolic'; text: string; mode: SymbolicMode };

function invalid(text: string): GantryError {
  return new GantryError(
    'E_COPY_INVALID_CHMOD',
    `invalid chmod parameter: '${text}'. it should be octal string and between 0 and 07777`,
    { hint: 'Use an octal mode such as --chmod=0755, or a symbolic one such as --chmod=u+x,go-w.' },
  );
}

/**
 * Parses `--chmod` as BuildKit does: octal first (at most 07777), else a chmod(1) symbolic
 * mode. A value starting with a digit that is not valid octal gets the octal error; any other
 * bad value gets "invalid syntax". Undefined for an empty value (no --chmod).
 */
export function parseChmod(text: string | undefined): ChmodSpec | undefined {
  if (text === undefined || text === '') return undefined;
  if (/^[0-9]/.test(text)) {
    if (!/^[0-7]+$/.test(text)) throw invalid(text);
    const value = Number.parseInt(text, 8);
    if (value > 0o7777) throw invalid(text);
    return { kind: 'octal', mode: value };
  }
  const mode = parseSymbolicMode(text);
  if (mode === undefined) {
    throw new GantryError('E_COPY_INVALID_CHMOD', `invalid chmod parameter: '${text}': invalid syntax`, {
      hint: 'A symbolic mode is clauses like u+x, go-w or a=rX separated by commas (see chmod(1)).',
    });
  }
  return { kind: 'symbolic', text, mode };
}

/** The mode bits an entry gets: `mode` is its own (`& 0o7777`). */
export function chmodApply(spec: ChmodSpec | undefined, mode: number, isDir: boolean): number {
  if (spec === undefined) return mode & 0o7777;
  if (spec.kind === 'octal') return spec.mode & 0o7777;
  return applySymbolicMode(spec.mode, mode, isDir);
}

/** The mode of directories a copy creates on the way to its destination (BuildKit: 0755 or the octal --chmod). */
export function createdDirMode(spec: ChmodSpec | undefined): number {
  return spec?.kind === 'octal' ? spec.mode & 0o777 : 0o755;
}
