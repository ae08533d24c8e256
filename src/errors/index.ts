export { GantryError, isGantryError, type GantryErrorOptions } from './gantry-error.ts';
export { DockerfileError, lineRange, type Position, type Range, type SourceFile } from './dockerfile-error.ts';
export { StepError } from './step-error.ts';
