/**
 * Typed Dockerfile instructions (BuildKit frontend/dockerfile/instructions): AST node →
 * Instruction, flag parsing, RUN --mount/--device, EXPOSE ports, variable expansion.
 */
export { type FlagSpec, type ParsedFlags, parseFlags } from './bflags.ts';
export { type ExpandMore, expandInstruction, type WordExpander } from './expand-instruction.ts';
export { type PortSpec, parsePort, parsePortSpec, parsePorts } from './expose-ports.ts';
export { type InstructionErrorCode, instructionError } from './instruction-error.ts';
export { nodeLocation } from './node-location.ts';
export { type Device, parseDevice } from './parse-device.ts';
export { parseBuildStageName } from './parse-from.ts';
export { parseHealthcheckDuration } from './parse-healthcheck.ts';
export { INSTRUCTION_NAMES, parseInstruction } from './parse-instruction.ts';
export { checkMountSyntax, type Mount, type MountType, parseMount, type ShareMode } from './parse-mount.ts';
export { handleJSONArgs } from './parse-request.ts';
export { levenshtein, suggest, withSuggestion } from './suggest.ts';
export type * from './types.ts';
