import { GantryError } from '../../errors/gantry-error.ts';

/** Error codes raised while turning AST nodes into typed instructions (see docs/errors/instructions.md). */
export type InstructionErrorCode =
  | 'E_DOCKERFILE_INSTRUCTION'
  | 'E_DOCKERFILE_UNKNOWN_INSTRUCTION'
  | 'E_DOCKERFILE_FLAG'
  | 'E_DOCKERFILE_MOUNT'
  | 'E_DOCKERFILE_DEVICE'
  | 'E_DOCKERFILE_EXPOSE'
  | 'E_DOCKERFILE_HEALTHCHECK';

const HINTS: Record<InstructionErrorCode, string> = {
  E_DOCKERFILE_INSTRUCTION:
    'Check the instruction against the Dockerfile reference (https://docs.docker.com/reference/dockerfile/).',
  E_DOCKERFILE_UNKNOWN_INSTRUCTION:
    'Use one of FROM, RUN, CMD, LABEL, EXPOSE, ENV, ADD, COPY, ENTRYPOINT, VOLUME, USER, WORKDIR, ARG, ONBUILD, STOPSIGNAL, HEALTHCHECK, SHELL.',
  E_DOCKERFILE_FLAG:
    'Check the --flag names and values this instruction accepts in the Dockerfile reference.',
  E_DOCKERFILE_MOUNT:
    'Write --mount as comma-separated key=value pairs, e.g. --mount=type=cache,target=/root/.cache.',
  E_DOCKERFILE_DEVICE: 'Write --device as NAME[,required[=BOOL]], e.g. --device=vendor.com/gpu=all,required.',
  E_DOCKERFILE_EXPOSE: 'Write EXPOSE ports as PORT[-END][/tcp|udp|sctp], e.g. EXPOSE 80/tcp 8000-8010.',
  E_DOCKERFILE_HEALTHCHECK: 'Write HEALTHCHECK [--interval=30s ...] CMD command, or HEALTHCHECK NONE.',
};

/** A user-facing instruction error without a location; parseInstruction attaches the node's range. */
export function instructionError(code: InstructionErrorCode, message: string, cause?: unknown): GantryError {
  return new GantryError(code, message, { hint: HINTS[code], cause });
}
