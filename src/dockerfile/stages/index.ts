/** Dockerfile stages: typed instructions grouped per FROM, meta args, stage lookup. */
export { findStageIndex, resolveTarget } from './find-stage.ts';
export { type ParseStagesOptions, parseStages, RESERVED_STAGE_NAMES } from './parse-stages.ts';
export { type StageErrorCode, stageError } from './stage-error.ts';
export type { ParsedStages, Stage } from './types.ts';
