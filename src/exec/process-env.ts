/** The PATH BuildKit and Docker give a process whose environment has none. */
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Adds PATH=DEFAULT_PATH when `env` has no PATH (as BuildKit's exec op does). */
export function withDefaultPath(env: readonly string[]): string[] {
  return env.some((e) => e.startsWith('PATH=')) ? [...env] : [...env, `PATH=${DEFAULT_PATH}`];
}

/** `base` overridden by `overrides` key by key (KEY=VALUE entries), keeping the order of first appearance. */
export function mergeEnv(base: readonly string[], overrides: readonly string[]): string[] {
  const map = new Map<string, string>();
  for (const e of [...base, ...overrides]) {
    const eq = e.indexOf('=');
    const key = eq < 0 ? e : e.slice(0, eq);
    map.set(key, e);
  }
  return [...map.values()];
}
