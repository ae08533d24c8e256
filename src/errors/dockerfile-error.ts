import { GantryError, type GantryErrorOptions } from './gantry-error.ts';

/** 1-based line, 0-based character offset within the line (as BuildKit's parser.Position). */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** The Dockerfile a DockerfileError points into; attached by build/ (the parser knows only ranges). */
export interface SourceFile {
  name: string;
  text: string;
}

/**
 * An error located in a Dockerfile. The parser and planner create it with ranges only;
 * build/ attaches the file (name and text) and cli/ renders the code frame.
 */
export class DockerfileError extends GantryError {
  readonly ranges: Range[];
  source: SourceFile | undefined;

  constructor(code: string, message: string, ranges: Range[], options: GantryErrorOptions = {}) {
    super(code, message, options);
    this.name = 'DockerfileError';
    this.ranges = ranges;
  }

  withSource(source: SourceFile): this {
    this.source = source;
    return this;
  }
}

/** A range covering whole lines `startLine..endLine` (1-based, inclusive). */
export function lineRange(startLine: number, endLine: number = startLine): Range {
  return { start: { line: startLine, character: 0 }, end: { line: endLine, character: 0 } };
}
