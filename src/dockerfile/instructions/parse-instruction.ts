import { DockerfileError } from '../../errors/dockerfile-error.ts';
import { isGantryError } from '../../errors/gantry-error.ts';
import type { InstructionNode } from '../ast.ts';
import { instructionError } from './instruction-error.ts';
import { nodeLocation } from './node-location.ts';
import { parseAdd, parseCopy } from './parse-copy.ts';
import { parseFrom } from './parse-from.ts';
import { parseHealthcheck } from './parse-healthcheck.ts';
import { newParseRequest } from './parse-request.ts';
import { parseRun } from './parse-run.ts';
import {
  parseArg,
  parseCmd,
  parseEntrypoint,
  parseEnv,
  parseExpose,
  parseLabel,
  parseMaintainer,
  parseOnBuild,
  parseShell,
  parseStopSignal,
  parseUser,
  parseVolume,
  parseWorkdir,
} from './parse-simple.ts';
import { withSuggestion } from './suggest.ts';
import type { Instruction } from './types.ts';

/** Every Dockerfile instruction keyword, upper-case. */
export const INSTRUCTION_NAMES = [
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
] as const;

function dispatch(node: InstructionNode): Instruction {
  const req = newParseRequest(node);
  switch (node.keyword.toLowerCase()) {
    case 'env':
      return parseEnv(req);
    case 'maintainer':
      return parseMaintainer(req);
    case 'label':
      return parseLabel(req);
    case 'add':
      return parseAdd(req);
    case 'copy':
      return parseCopy(req);
    case 'from':
      return parseFrom(req);
    case 'onbuild':
      return parseOnBuild(req);
    case 'workdir':
      return parseWorkdir(req);
    case 'run':
      return parseRun(req);
    case 'cmd':
      return parseCmd(req);
    case 'healthcheck':
      return parseHealthcheck(req);
    case 'entrypoint':
      return parseEntrypoint(req);
    case 'expose':
      return parseExpose(req);
    case 'user':
      return parseUser(req);
    case 'volume':
      return parseVolume(req);
    case 'stopsignal':
      return parseStopSignal(req);
    case 'arg':
      return parseArg(req);
    case 'shell':
      return parseShell(req);
    default:
      throw instructionError(
        'E_DOCKERFILE_UNKNOWN_INSTRUCTION',
        withSuggestion(
          `unknown instruction: ${node.keywordAsWritten}`,
          node.keywordAsWritten,
          INSTRUCTION_NAMES,
          false,
        ),
      );
  }
}

/**
 * Converts one AST node into a typed instruction (BuildKit instructions.ParseInstruction),
 * with BuildKit's validation and messages. Failures are DockerfileErrors carrying the node's
 * location (one range per line, as BuildKit) and a stable code.
 */
export function parseInstruction(node: InstructionNode): Instruction {
  try {
    return dispatch(node);
  } catch (e) {
    if (isGantryError(e) && !(e instanceof DockerfileError)) {
      throw new DockerfileError(e.code, e.message, nodeLocation(node), { hint: e.hint, cause: e.cause });
    }
    throw e;
  }
}
