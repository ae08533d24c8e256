export {
  DockerfileError,
  lineRange,
  type Position,
  type Range,
  type SourceFile,
} from './dockerfile-error.ts';
export { GantryError, type GantryErrorOptions, isGantryError } from './gantry-error.ts';
export { StepError } from './step-error.ts';
