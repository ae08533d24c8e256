import { GantryError } from '../../errors/gantry-error.ts';
import { withSuggestion } from '../instructions/suggest.ts';
import { hintWithStages, stageError } from './stage-error.ts';
import type { Stage } from './types.ts';

/**
 * The stage a `--from` / `--mount from=` / FROM reference names: a decimal index (Go Atoi
 * syntax, out of range → E_STAGE_INDEX) or a stage name, case-insensitively (the last stage
 * with that name, as BuildKit's name map). Undefined means "not a stage": an image reference.
 */
export function findStageIndex(stages: readonly Stage[], nameOrIndex: string): number | undefined {
  if (/^[+-]?[0-9]+$/.test(nameOrIndex)) {
    const index = Number(nameOrIndex);
    if (index < 0 || index >= stages.length) {
      throw stageError('E_STAGE_INDEX', `invalid stage index ${index}`);
    }
    return index;
  }
  const name = nameOrIndex.toLowerCase();
  for (let i = stages.length - 1; i >= 0; i--) {
    if (stages[i]!.name === name) return i;
  }
  return undefined;
}

/**
 * The index of the stage to build: the last stage when `target` is empty or undefined, else
 * the stage named `target` (case-insensitive). A miss is E_STAGE_NOT_FOUND with BuildKit's
 * message, a "did you mean" and the list of stage names in the hint.
 */
export function resolveTarget(stages: readonly Stage[], target?: string): number {
  if (stages.length === 0) throw new Error('resolveTarget: no stages');
  if (target === undefined || target === '') return stages.length - 1;
  const wanted = target.toLowerCase();
  for (let i = stages.length - 1; i >= 0; i--) {
    if (stages[i]!.name === wanted) return i;
  }
  const names = stages.flatMap((s) => (s.name === undefined ? [] : [s.name]));
  const message = withSuggestion(
    `target stage ${JSON.stringify(target)} could not be found`,
    target,
    names,
    true,
  );
  throw new GantryError('E_STAGE_NOT_FOUND', message, { hint: hintWithStages('E_STAGE_NOT_FOUND', names) });
}
