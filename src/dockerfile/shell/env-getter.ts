/** Variables visible to word expansion. Lookups are case-sensitive (Unix builders). */
export interface EnvGetter {
  /** The value of `name`, or undefined when it is unset (an empty string is set). */
  get(name: string): string | undefined;
  /** Every name, in the order given (BuildKit keeps duplicates). */
  keys(): string[];
}

/**
 * An EnvGetter over `KEY=VALUE` strings: split at the first '=', later duplicates win,
 * and an entry without '=' sets KEY to the empty string.
 */
export function envsFromSlice(list: readonly string[]): EnvGetter {
  const values = new Map<string, string>();
  const names: string[] = [];
  for (const entry of list) {
    const eq = entry.indexOf('=');
    const key = eq < 0 ? entry : entry.slice(0, eq);
    const value = eq < 0 ? '' : entry.slice(eq + 1);
    names.push(key);
    values.set(key, value);
  }
  return {
    get: (name) => values.get(name),
    keys: () => [...names],
  };
}
