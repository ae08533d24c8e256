import { DockerfileError, type Range } from '../../errors/dockerfile-error.ts';
import { GantryError } from '../../errors/gantry-error.ts';

export type StageErrorCode =
  | 'E_DOCKERFILE_NO_STAGE'
  | 'E_DOCKERFILE_STAGE_NAME'
  | 'E_STAGE_NOT_FOUND'
  | 'E_STAGE_INDEX';

const HINTS: Record<StageErrorCode, string> = {
  E_DOCKERFILE_NO_STAGE: 'Start the Dockerfile with FROM (only ARG may come before the first FROM).',
  E_DOCKERFILE_STAGE_NAME: 'Give every stage a unique name that is not "scratch" or "context".',
  E_STAGE_NOT_FOUND: 'Pass the name of a stage declared with FROM ... AS <name>.',
  E_STAGE_INDEX: 'Stage indexes count FROM lines from 0; use an index of an earlier stage or its name.',
};

export function stageError(code: StageErrorCode, message: string, ranges?: Range[]): GantryError {
  if (ranges !== undefined) return new DockerfileError(code, message, ranges, { hint: HINTS[code] });
  return new GantryError(code, message, { hint: HINTS[code] });
}

/** A hint that lists the stages, for "not found" errors. */
export function hintWithStages(code: StageErrorCode, names: readonly string[]): string {
  const list = names.length === 0 ? 'the Dockerfile has no named stages' : `stages: ${names.join(', ')}`;
  return `${HINTS[code]} (${list})`;
}
