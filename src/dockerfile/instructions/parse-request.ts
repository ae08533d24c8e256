import type { InstructionNode } from '../ast.ts';
import { instructionError } from './instruction-error.ts';
import type { InstructionBase } from './types.ts';

/** What every per-instruction parser gets (BuildKit's parseRequest). */
export interface ParseRequest {
  node: InstructionNode;
  /** Keyword as written. */
  command: string;
  /** Argument values; ONBUILD: the trigger's keyword followed by its arguments. */
  args: string[];
  /** Raw flag words. */
  flags: string[];
  /** True for exec (JSON) form. */
  json: boolean;
  base: InstructionBase;
}

function nodeArgs(node: InstructionNode): string[] {
  if (node.sub !== undefined) return [node.sub.keywordAsWritten, ...nodeArgs(node.sub)];
  return [...node.args];
}

export function newParseRequest(node: InstructionNode): ParseRequest {
  return {
    node,
    command: node.keywordAsWritten,
    args: nodeArgs(node),
    flags: [...node.flags],
    json: node.json,
    base: {
      name: node.keywordAsWritten,
      code: node.original.trim(),
      range: node.range,
      node,
      comments: [...node.prevComments],
    },
  };
}

/** `exec form → args as is; shell form → one string joined by spaces; none → []` (handleJSONArgs). */
export function handleJSONArgs(args: readonly string[], json: boolean): string[] {
  if (args.length === 0) return [];
  if (json) return [...args];
  return [args.join(' ')];
}

/** The text after `# NAME ` in the comment lines above a declaration, or ''. */
export function getDocComment(comments: readonly string[], name: string): string {
  if (name === '') return '';
  for (const line of comments) {
    if (line.startsWith(`${name} `)) return line.slice(name.length + 1);
  }
  return '';
}

export const errAtLeastOneArgument = (command: string) =>
  instructionError('E_DOCKERFILE_INSTRUCTION', `${command} requires at least one argument`);
export const errExactlyOneArgument = (command: string) =>
  instructionError('E_DOCKERFILE_INSTRUCTION', `${command} requires exactly one argument`);
export const errNoDestinationArgument = (command: string) =>
  instructionError(
    'E_DOCKERFILE_INSTRUCTION',
    `${command} requires at least two arguments, but only one was provided. Destination could not be determined`,
  );
export const errBlankCommandNames = (command: string) =>
  instructionError('E_DOCKERFILE_INSTRUCTION', `${command} names can not be blank`);
export const errTooManyArguments = (command: string) =>
  instructionError('E_DOCKERFILE_INSTRUCTION', `Bad input to ${command}, too many arguments`);
