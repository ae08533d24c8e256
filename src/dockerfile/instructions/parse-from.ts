import { parseFlags } from './bflags.ts';
import { instructionError } from './instruction-error.ts';
import { getDocComment, type ParseRequest } from './parse-request.ts';
import type { FromInstruction } from './types.ts';

const VALID_STAGE_NAME = /^[a-z][a-z0-9-_.]*$/;

/** The lower-cased `AS` name ('' when none), validated as BuildKit's parseBuildStageName. */
export function parseBuildStageName(args: readonly string[]): string {
  if (args.length === 3 && args[1]!.toLowerCase() === 'as') {
    const name = args[2]!.toLowerCase();
    if (!VALID_STAGE_NAME.test(name)) {
      throw instructionError(
        'E_DOCKERFILE_INSTRUCTION',
        `invalid name for build stage: ${JSON.stringify(args[2])}, name can't start with a number or contain symbols`,
      );
    }
    return name;
  }
  if (args.length !== 1)
    throw instructionError('E_DOCKERFILE_INSTRUCTION', 'FROM requires either one or three arguments');
  return '';
}

export function parseFrom(req: ParseRequest): FromInstruction {
  const stageName = parseBuildStageName(req.args);
  const flags = parseFlags(req.flags, [{ name: 'platform', type: 'string' }]);
  const from: FromInstruction = {
    ...req.base,
    kind: 'from',
    image: req.args[0]!,
    docComment: getDocComment(req.base.comments, stageName),
  };
  if (stageName !== '') from.stageName = stageName;
  const platform = flags.string('platform');
  if (platform !== '') from.platform = platform;
  return from;
}
