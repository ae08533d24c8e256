import type { EnvGetter } from '../dockerfile/shell/index.ts';

/**
 * An ordered KEY=VALUE list where a later add replaces the earlier value in place (BuildKit's
 * llb.EnvList / image config Env semantics). Immutable: every change returns a new list.
 */
export class EnvList implements EnvGetter {
  private constructor(private readonly entries: readonly (readonly [string, string])[]) {}

  static empty(): EnvList {
    return new EnvList([]);
  }

  /** From image-config `KEY=VALUE` strings (an entry without '=' is set to empty). */
  static fromStrings(list: readonly string[] | undefined | null): EnvList {
    let env = EnvList.empty();
    for (const s of list ?? []) {
      const i = s.indexOf('=');
      env = i < 0 ? env.set(s, '') : env.set(s.slice(0, i), s.slice(i + 1));
    }
    return env;
  }

  get(name: string): string | undefined {
    for (const [k, v] of this.entries) if (k === name) return v;
    return undefined;
  }

  has(name: string): boolean {
    return this.entries.some(([k]) => k === name);
  }

  keys(): string[] {
    return this.entries.map(([k]) => k);
  }

  set(key: string, value: string): EnvList {
    const i = this.entries.findIndex(([k]) => k === key);
    if (i < 0) return new EnvList([...this.entries, [key, value]]);
    const next = this.entries.slice();
    next[i] = [key, value];
    return new EnvList(next);
  }

  delete(key: string): EnvList {
    return new EnvList(this.entries.filter(([k]) => k !== key));
  }

  toStrings(): string[] {
    return this.entries.map(([k, v]) => `${k}=${v}`);
  }

  toPairs(): [string, string][] {
    return this.entries.map(([k, v]) => [k, v]);
  }
}
