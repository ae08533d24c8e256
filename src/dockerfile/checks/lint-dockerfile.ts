import { DockerfileError } from '../../errors/dockerfile-error.ts';
import { isGantryError } from '../../errors/gantry-error.ts';
import type { ParseResult, ParseWarning } from '../ast.ts';
import type { ArgInstruction } from '../instructions/types.ts';
import { Lex } from '../shell/lex.ts';
import { resolveTarget } from '../stages/find-stage.ts';
import type { Stage } from '../stages/types.ts';
import { cloneScope, dispatchChecks, imageScope, type StageScope } from './dispatch-checks.ts';
import { buildGlobalArgs, checkDefaultBaseNames, checkFromLines } from './from-checks.ts';
import { type LintConfig, parseLintConfig } from './lint-config.ts';
import { createLinter } from './linter.ts';
import { parsePhaseChecks } from './parse-phase-checks.ts';
import { baseStageIndex, reachableStages } from './reachable-stages.ts';
import { MESSAGES, RULES } from './rules.ts';
import { checkCommandCasing, checkStageNames } from './stage-checks.ts';

export interface LintInput {
  parsed: ParseResult;
  stages: Stage[];
  metaArgs: ArgInstruction[];
  buildArgs: Record<string, string>;
  /** Target stage name; default the last stage. */
  target?: string;
  /**
   * Check options in `# check=` syntax (e.g. from the CLI); when given they replace the
   * Dockerfile's directive, as BuildKit's BUILDKIT_DOCKERFILE_CHECK build arg does.
   */
  check?: string;
  /** Check every stage, not only those the target needs (`--check`-style linting). */
  allStages?: boolean;
  /**
   * Predefined platform args (BUILDPLATFORM, TARGETOS, ...); default linux/amd64 for both.
   * Build args of the same name override them.
   */
  platformArgs?: Record<string, string>;
  /**
   * A base image's config where known: its ENV and SHELL affect UndefinedVar and
   * JSONArgsRecommended. Without it UndefinedVar is not reported in stages built on that image
   * (only on `scratch` and stages whose image config is given).
   */
  imageConfig?: (image: string) => { env?: string[]; shell?: string[] } | undefined;
}

export interface LintResult {
  warnings: ParseWarning[];
  /** Check-option errors, or the `error=true` violation error. */
  errors: DockerfileError[];
}

function defaultPlatformArgs(targetStage: string): Record<string, string> {
  return {
    BUILDPLATFORM: 'linux/amd64',
    BUILDOS: 'linux',
    BUILDOSVERSION: '',
    BUILDARCH: 'amd64',
    BUILDVARIANT: '',
    TARGETPLATFORM: 'linux/amd64',
    TARGETOS: 'linux',
    TARGETOSVERSION: '',
    TARGETARCH: 'amd64',
    TARGETVARIANT: '',
    TARGETSTAGE: targetStage,
  };
}

function lintConfig(input: LintInput): LintConfig | DockerfileError {
  const directive = input.parsed.directives.check;
  const value = input.check ?? directive?.value ?? '';
  try {
    return parseLintConfig(value);
  } catch (e) {
    if (!isGantryError(e)) throw e;
    const ranges = input.check === undefined && directive !== undefined ? [directive.range] : [];
    return new DockerfileError(e.code, `failed to parse check options: ${e.message}`, ranges, {
      hint: e.hint,
      cause: e,
    });
  }
}

/**
 * Runs BuildKit's build checks over a parsed Dockerfile and returns the warnings (and, with
 * `error=true`, one E_DOCKERFILE_CHECK error naming the rules that fired). Pure: nothing is
 * printed or thrown for findings.
 */
export function lintDockerfile(input: LintInput): LintResult {
  const config = lintConfig(input);
  if (config instanceof DockerfileError) return { warnings: [], errors: [config] };
  const lint = createLinter();
  const { stages } = input;

  for (const w of input.parsed.warnings) {
    if (w.rule === RULES.NoEmptyContinuation.name || w.url === RULES.NoEmptyContinuation.url) {
      lint.run(RULES.NoEmptyContinuation, config, w.ranges, MESSAGES.NoEmptyContinuation());
    }
  }
  parsePhaseChecks(input.parsed, lint, config);
  checkStageNames(stages, lint, config);
  checkCommandCasing(stages, lint, config);

  const errors: DockerfileError[] = [];
  if (stages.length > 0) {
    const lex = new Lex({ escapeToken: input.parsed.directives.escapeToken });
    let target: number;
    try {
      target = resolveTarget(stages, input.target);
    } catch {
      target = stages.length - 1;
    }
    const targetName = input.target || stages[stages.length - 1]!.name || 'default';
    const predefined = { ...defaultPlatformArgs(targetName), ...input.platformArgs };
    checkDefaultBaseNames({
      stages,
      predefined,
      metaArgs: input.metaArgs,
      buildArgs: input.buildArgs,
      lex,
      lint,
      config,
    });
    const globals = buildGlobalArgs({
      predefined,
      metaArgs: input.metaArgs,
      buildArgs: input.buildArgs,
      lex,
    });
    const baseNames = checkFromLines({ stages, globals, lex, lint, config });
    const reachable = input.allStages
      ? new Set(stages.map((s) => s.index))
      : reachableStages(stages, baseNames, target);
    const scopes: StageScope[] = [];
    for (const stage of stages) {
      const base = baseStageIndex(stages, stage.index, baseNames[stage.index]);
      let scope: StageScope;
      if (base !== undefined && scopes[base] !== undefined) scope = cloneScope(scopes[base]);
      else {
        const baseName = baseNames[stage.index] ?? stage.from.image;
        const image = baseName === 'scratch' ? { env: [] } : input.imageConfig?.(baseName);
        scope = imageScope(image === undefined ? undefined : (image.env ?? []));
        scope.shellSet = (image?.shell?.length ?? 0) > 0;
      }
      if (reachable.has(stage.index)) {
        dispatchChecks(stage, scope, { lex, lint, config, globals, buildArgs: input.buildArgs });
      }
      scopes[stage.index] = scope;
    }
  }

  if (config.error && lint.called.length > 0) {
    errors.push(
      new DockerfileError(
        'E_DOCKERFILE_CHECK',
        `lint violation found for rules: ${lint.called.join(', ')}`,
        lint.warnings.flatMap((w) => w.ranges),
        { hint: 'Fix the reported checks, skip them with "# check=skip=<rules>", or drop error=true.' },
      ),
    );
  }
  return { warnings: lint.warnings, errors };
}
