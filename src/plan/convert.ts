import type { ParseWarning } from '../dockerfile/ast.ts';
import { parse } from '../dockerfile/parser/index.ts';
import { Lex } from '../dockerfile/shell/index.ts';
import { parseStages } from '../dockerfile/stages/index.ts';
import type { ImageConfig, Platform } from '../oci/types.ts';
import {
  commitCopy,
  commitRun,
  commitWorkdir,
  type DispatchResult,
  dispatchInstruction,
} from './dispatch.ts';
import { planStages, type StagePlan } from './plan-stages.ts';
import { emptyImageConfig, initialStageState, type StageState } from './stage-state.ts';

export interface ConvertOptions {
  text: string;
  buildArgs?: Record<string, string>;
  target?: string;
  buildPlatform: Platform;
  targetPlatform: Platform;
  /** The config of a base image (FROM or ONBUILD-free); undefined = treat as an empty image. */
  resolveImageConfig?: (ref: string) => ImageConfig | undefined;
}

export interface ConvertResult {
  plan: StagePlan;
  /** Final state of every reachable stage, by index. */
  states: Map<number, StageState>;
  steps: Map<number, DispatchResult[]>;
  warnings: ParseWarning[];
}

/**
 * The whole Dockerfile → image-config conversion without executing anything (BuildKit's
 * Dockerfile2LLB as far as it is pure): used by `gantry check`, tests and the conformance runner.
 * Effects are assumed to succeed (RUN, COPY, ADD add a layer; WORKDIR makes a directory).
 */
export function convertDockerfile(opts: ConvertOptions): ConvertResult {
  const parsed = parse(opts.text);
  const { stages, metaArgs } = parseStages(parsed);
  const buildArgs = opts.buildArgs ?? {};
  const plan = planStages({
    stages,
    metaArgs,
    buildArgs,
    target: opts.target,
    buildPlatform: opts.buildPlatform,
    targetPlatform: opts.targetPlatform,
    escapeToken: parsed.directives.escapeToken,
  });
  const lex = new Lex({ escapeToken: parsed.directives.escapeToken });
  const states = new Map<number, StageState>();
  const steps = new Map<number, DispatchResult[]>();
  for (const p of plan.stages) {
    if (!p.reachable) continue;
    const platform = p.platform ?? opts.targetPlatform;
    let state: StageState;
    if (p.base.kind === 'stage') {
      const baseState = states.get(p.base.index);
      if (baseState === undefined)
        throw new Error(`stage ${p.base.index} converted after its dependent ${p.index}`);
      state = initialStageState({ base: baseState, platform });
    } else if (p.base.kind === 'image') {
      state = initialStageState({
        base: opts.resolveImageConfig?.(p.base.ref) ?? emptyImageConfig(platform),
        platform,
      });
    } else {
      state = initialStageState({ base: emptyImageConfig(platform), platform });
    }
    const results: DispatchResult[] = [];
    for (const inst of p.stage.instructions) {
      const r = dispatchInstruction(state, inst, { lex, globalArgs: plan.globalArgs, buildArgs });
      if (r.action.kind === 'run') commitRun(state, r.action);
      else if (r.action.kind === 'copy') commitCopy(state, r.action.inst);
      else if (r.action.kind === 'workdir') commitWorkdir(state, r.action.path, true);
      results.push(r);
    }
    states.set(p.index, state);
    steps.set(p.index, results);
  }
  return { plan, states, steps, warnings: parsed.warnings };
}
