import type { Range } from '../../errors/dockerfile-error.ts';
import type { ArgInstruction, FromInstruction, Instruction } from '../instructions/types.ts';

/** One build stage: a FROM and the instructions after it (BuildKit instructions.Stage). */
export interface Stage {
  /** 0-based position in the Dockerfile (what `COPY --from=0` refers to). */
  index: number;
  /** The `AS` name, lower-cased; undefined for an unnamed stage. */
  name?: string;
  from: FromInstruction;
  /** The instructions after FROM, in order (never FROM). */
  instructions: Instruction[];
  /** `# <name> <description>` comment above FROM, name stripped. */
  docComment: string;
  /** The FROM instruction's range. */
  range: Range;
}

export interface ParsedStages {
  stages: Stage[];
  /** ARGs before the first FROM (global scope, visible in FROM lines). */
  metaArgs: ArgInstruction[];
}
