import { parseCsvFields } from '../instructions/go-values.ts';
import { findStageIndex } from '../stages/find-stage.ts';
import type { Stage } from '../stages/types.ts';

/** The stage a FROM builds on: the last earlier stage with that name (BuildKit addState). */
export function baseStageIndex(
  stages: readonly Stage[],
  index: number,
  baseName: string | undefined,
): number | undefined {
  if (baseName === undefined) return undefined;
  const wanted = baseName.toLowerCase();
  for (let j = index - 1; j >= 0; j--) if (stages[j]!.name === wanted) return j;
  return undefined;
}

function mountFroms(raw: string): string[] {
  try {
    return parseCsvFields(raw).flatMap((f) => (f.toLowerCase().startsWith('from=') ? [f.slice(5)] : []));
  } catch {
    return [];
  }
}

function stageDeps(
  stages: readonly Stage[],
  i: number,
  baseNames: readonly (string | undefined)[],
): number[] {
  const deps: number[] = [];
  const base = baseStageIndex(stages, i, baseNames[i]);
  if (base !== undefined) deps.push(base);
  const byRef = (ref: string, allowIndex: boolean) => {
    try {
      if (!allowIndex && /^[+-]?[0-9]+$/.test(ref)) return;
      const j = findStageIndex(stages, ref);
      if (j !== undefined) deps.push(j);
    } catch {
      // An invalid index fails the build elsewhere.
    }
  };
  for (const inst of stages[i]!.instructions) {
    if (inst.kind === 'copy' && inst.from !== '') byRef(inst.from, true);
    if (inst.kind === 'run') for (const m of inst.mounts) for (const f of mountFroms(m)) byRef(f, false);
  }
  return deps;
}

/**
 * Indexes of the stages the target needs (itself, its base stages, COPY --from and
 * RUN --mount from= sources, transitively), as BuildKit's allReachableStages.
 */
export function reachableStages(
  stages: readonly Stage[],
  baseNames: readonly (string | undefined)[],
  target: number,
): Set<number> {
  const seen = new Set<number>();
  const visit = (i: number) => {
    if (seen.has(i)) return;
    seen.add(i);
    for (const d of stageDeps(stages, i, baseNames)) visit(d);
  };
  visit(target);
  return seen;
}
