import { DockerfileError } from '../../errors/dockerfile-error.ts';
import type { ParseResult } from '../ast.ts';
import { nodeLocation } from '../instructions/node-location.ts';
import { parseInstruction } from '../instructions/parse-instruction.ts';
import type { ArgInstruction } from '../instructions/types.ts';
import { stageError } from './stage-error.ts';
import type { ParsedStages, Stage } from './types.ts';

/** Names a stage may not use: they mean the empty image and the build context. */
export const RESERVED_STAGE_NAMES: readonly string[] = ['scratch', 'context'];

export interface ParseStagesOptions {
  /**
   * Reject duplicate and reserved stage names. BuildKit only warns about them (the build
   * checks DuplicateStageName and ReservedStageName) and builds anyway; default false.
   */
  strictStageNames?: boolean;
}

/**
 * Groups the parsed instructions into stages (BuildKit instructions.Parse): ARGs before the
 * first FROM become meta args; any other instruction before a FROM is an error. Instruction
 * errors read `dockerfile parse error on line N: ...` and point at every line of the instruction.
 */
export function parseStages(result: ParseResult, opts: ParseStagesOptions = {}): ParsedStages {
  const stages: Stage[] = [];
  const metaArgs: ArgInstruction[] = [];
  for (const node of result.children) {
    let inst: ReturnType<typeof parseInstruction>;
    try {
      inst = parseInstruction(node);
    } catch (e) {
      if (e instanceof DockerfileError) {
        throw new DockerfileError(
          e.code,
          `dockerfile parse error on line ${node.startLine}: ${e.message}`,
          e.ranges,
          {
            hint: e.hint,
            cause: e,
          },
        );
      }
      throw e;
    }
    if (inst.kind === 'from') {
      const stage: Stage = {
        index: stages.length,
        from: inst,
        instructions: [],
        docComment: inst.docComment,
        range: inst.range,
      };
      if (inst.stageName !== undefined) stage.name = inst.stageName;
      stages.push(stage);
      continue;
    }
    const current = stages[stages.length - 1];
    if (current === undefined) {
      if (inst.kind === 'arg') {
        metaArgs.push(inst);
        continue;
      }
      throw stageError('E_DOCKERFILE_NO_STAGE', 'no build stage in current context', nodeLocation(node));
    }
    current.instructions.push(inst);
  }
  if (stages.length === 0) {
    throw stageError('E_DOCKERFILE_NO_STAGE', 'dockerfile contains no stages to build', [
      { start: { line: result.startLine, character: 0 }, end: { line: result.endLine, character: 0 } },
    ]);
  }
  if (opts.strictStageNames) checkStageNames(stages);
  return { stages, metaArgs };
}

function checkStageNames(stages: readonly Stage[]): void {
  const seen = new Set<string>();
  for (const s of stages) {
    if (s.name === undefined) continue;
    if (RESERVED_STAGE_NAMES.includes(s.name)) {
      throw stageError(
        'E_DOCKERFILE_STAGE_NAME',
        `stage name ${JSON.stringify(s.name)} is reserved`,
        nodeLocation(s.from.node),
      );
    }
    if (seen.has(s.name)) {
      throw stageError(
        'E_DOCKERFILE_STAGE_NAME',
        `duplicate stage name ${JSON.stringify(s.name)}`,
        nodeLocation(s.from.node),
      );
    }
    seen.add(s.name);
  }
}
