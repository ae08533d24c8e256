import type { EnvGetter } from '../shell/env-getter.ts';

/** An ordered, copyable variable scope used while simulating a stage (BuildKit's env list). */
export class EnvList implements EnvGetter {
  private readonly values = new Map<string, string>();

  static from(entries: Iterable<[string, string]>): EnvList {
    const e = new EnvList();
    for (const [k, v] of entries) e.set(k, v);
    return e;
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  keys(): string[] {
    return [...this.values.keys()];
  }

  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  entries(): [string, string][] {
    return [...this.values.entries()];
  }

  clone(): EnvList {
    return EnvList.from(this.values.entries());
  }
}
