import type { Range, SourceFile } from './dockerfile-error.ts';
import { GantryError } from './gantry-error.ts';

/** A build step (RUN, COPY, ...) that failed while executing; keeps the step's Dockerfile ranges. */
export class StepError extends GantryError {
  readonly ranges: Range[];
  readonly exitCode: number | undefined;
  readonly outputTail: string[];
  /** The Dockerfile, attached by build/ so that cli/ can draw the code frame. */
  source: SourceFile | undefined;

  constructor(
    code: string,
    message: string,
    opts: { ranges: Range[]; exitCode?: number; outputTail?: string[]; hint?: string; cause?: unknown },
  ) {
    super(code, message, { hint: opts.hint, cause: opts.cause });
    this.name = 'StepError';
    this.ranges = opts.ranges;
    this.exitCode = opts.exitCode;
    this.outputTail = opts.outputTail ?? [];
  }
}
