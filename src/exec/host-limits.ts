import { readFileSync } from 'node:fs';
import type { SpecRlimit } from './runtime-spec-types.ts';

/** Parses the "Max open files" row of /proc/<pid>/limits; undefined when absent or unlimited. */
export function parseNofile(limitsText: string): { soft: number; hard: number } | undefined {
  const m = /^Max open files\s+(\d+)\s+(\d+)/m.exec(limitsText);
  if (m === null) return undefined;
  return { soft: Number(m[1]), hard: Number(m[2]) };
}

/**
 * RLIMIT_NOFILE for containers: soft and hard at this process's hard limit, as dockerd and
 * buildkitd raise theirs and containers inherit it. (A limit above our own hard limit would need
 * CAP_SYS_RESOURCE, which gantry may lack inside a container.)
 */
export function defaultRlimits(limitsText?: string): SpecRlimit[] {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return [];
    }
  }
  const n = parseNofile(text);
  return n === undefined ? [] : [{ type: 'RLIMIT_NOFILE', soft: n.hard, hard: n.hard }];
}
