import { instructionError } from './instruction-error.ts';
import { withSuggestion } from './suggest.ts';

/** One declared instruction flag (BuildKit BFlags): `string` and `bool` take one value, `strings` repeats. */
export type FlagSpec =
  | { name: string; type: 'string'; default?: string }
  | { name: string; type: 'bool'; default?: boolean }
  | { name: string; type: 'strings' };

export interface ParsedFlags {
  /** A string flag's value (its default when not given). */
  string(name: string): string;
  /** A bool flag's value (its default when not given). */
  bool(name: string): boolean;
  /** Every value of a repeatable flag, in order. */
  strings(name: string): string[];
  /** True when the flag appeared, even if set to its default. */
  isUsed(name: string): boolean;
  /** Names of the flags that appeared, in the order first seen. */
  used(): string[];
}

/**
 * Parses raw `--name[=value]` words against the declared flags, as BuildKit's BFlags.Parse:
 * a bare `--` stops parsing; unknown flags (with a "did you mean"), repeated single-value
 * flags, string flags without `=` and non-boolean values of bool flags are errors.
 */
export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const declared = new Map<string, FlagSpec>();
  for (const s of specs) {
    if (declared.has(s.name)) throw new Error(`Duplicate flag defined: ${s.name}`);
    declared.set(s.name, s);
  }
  const values = new Map<string, string | boolean>();
  const lists = new Map<string, string[]>();
  const used: string[] = [];
  for (const s of specs) {
    if (s.type === 'string') values.set(s.name, s.default ?? '');
    else if (s.type === 'bool') values.set(s.name, s.default ?? false);
    else lists.set(s.name, []);
  }

  for (const a of args) {
    if (a === '--') break;
    if (!a.startsWith('--')) throw instructionError('E_DOCKERFILE_FLAG', `arg should start with -- : ${a}`);
    const eq = a.indexOf('=');
    const flagName = eq === -1 ? a : a.slice(0, eq);
    const hasValue = eq !== -1;
    const value = hasValue ? a.slice(eq + 1) : '';
    const name = flagName.slice(2);
    const spec = declared.get(name);
    if (spec === undefined) {
      throw instructionError(
        'E_DOCKERFILE_FLAG',
        withSuggestion(`unknown flag: ${flagName}`, name, declared.keys(), true),
      );
    }
    if (used.includes(name) && spec.type !== 'strings') {
      throw instructionError('E_DOCKERFILE_FLAG', `duplicate flag specified: ${flagName}`);
    }
    if (!used.includes(name)) used.push(name);
    switch (spec.type) {
      case 'bool': {
        if (hasValue && value === '')
          throw instructionError('E_DOCKERFILE_FLAG', `missing a value on flag: ${flagName}`);
        const v = value.toLowerCase();
        if (v === 'true' || v === '') values.set(name, true);
        else if (v === 'false') values.set(name, false);
        else
          throw instructionError(
            'E_DOCKERFILE_FLAG',
            `expecting boolean value for flag ${flagName}, not: ${value}`,
          );
        break;
      }
      case 'string':
        if (!hasValue) throw instructionError('E_DOCKERFILE_FLAG', `missing a value on flag: ${flagName}`);
        values.set(name, value);
        break;
      case 'strings':
        if (!hasValue) throw instructionError('E_DOCKERFILE_FLAG', `missing a value on flag: ${flagName}`);
        lists.get(name)!.push(value);
        break;
    }
  }

  const check = (name: string, type: FlagSpec['type']): string => {
    const s = declared.get(name);
    if (s === undefined || s.type !== type) throw new Error(`flag ${name} is not a declared ${type} flag`);
    return name;
  };
  return {
    string: (name) => values.get(check(name, 'string')) as string,
    bool: (name) => values.get(check(name, 'bool')) as boolean,
    strings: (name) => [...lists.get(check(name, 'strings'))!],
    isUsed: (name) => used.includes(name),
    used: () => [...used],
  };
}
