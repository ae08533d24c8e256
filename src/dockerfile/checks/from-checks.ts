import { nodeLocation } from '../instructions/node-location.ts';
import { suggest } from '../instructions/suggest.ts';
import type { ArgInstruction } from '../instructions/types.ts';
import type { Lex, ProcessWordResult } from '../shell/lex.ts';
import type { Stage } from '../stages/types.ts';
import { EnvList } from './env-list.ts';
import { isValidImageReference } from './image-reference.ts';
import { configFromComments, type LintConfig } from './lint-config.ts';
import type { Linter } from './linter.ts';
import { parsePlatformSpec } from './platform-spec.ts';
import { MESSAGES, RULES } from './rules.ts';

/** The global scope FROM lines see: predefined platform args, then the meta ARGs. */
export interface GlobalArgs {
  /** Values (BuildKit's globalArgs env list). */
  env: EnvList;
  /** Every meta ARG name, declared with or without a value. */
  declared: Set<string>;
}

function tryProcess(lex: Lex, word: string, env: EnvList): ProcessWordResult | undefined {
  try {
    return lex.processWordWithMatches(word, env);
  } catch {
    return undefined;
  }
}

/**
 * BuildKit's defaultArgs + buildMetaArgs: predefined args (overridable by build args), then
 * each meta ARG's build-arg value or its expanded default.
 */
export function buildGlobalArgs(opts: {
  predefined: Record<string, string>;
  metaArgs: readonly ArgInstruction[];
  buildArgs: Record<string, string>;
  lex: Lex;
}): GlobalArgs {
  const env = new EnvList();
  for (const [k, v] of Object.entries(opts.predefined))
    env.set(k, Object.hasOwn(opts.buildArgs, k) ? opts.buildArgs[k]! : v);
  const declared = new Set<string>();
  for (const cmd of opts.metaArgs) {
    for (const a of cmd.args) {
      let value: string | undefined;
      if (Object.hasOwn(opts.buildArgs, a.key)) value = opts.buildArgs[a.key];
      else if (a.value !== undefined) value = tryProcess(opts.lex, a.value, env)?.result;
      if (value !== undefined) env.set(a.key, value);
      declared.add(a.key);
    }
  }
  return { env, declared };
}

function reportUndeclared(
  result: ProcessWordResult,
  keys: string[],
  report: (arg: string, suggestion: string) => void,
): void {
  for (const arg of result.unmatched) {
    if (keys.includes(arg)) continue;
    report(arg, suggest(arg, keys, true) ?? '');
  }
}

/**
 * InvalidDefaultArgInFrom (BuildKit validateBaseImagesWithDefaultArgs): each base name expanded
 * with the meta ARGs' defaults only (no build args) must be a valid image reference.
 */
export function checkDefaultBaseNames(opts: {
  stages: readonly Stage[];
  predefined: Record<string, string>;
  metaArgs: readonly ArgInstruction[];
  buildArgs: Record<string, string>;
  lex: Lex;
  lint: Linter;
  config: LintConfig;
}): void {
  const predefined: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.predefined))
    predefined[k] = Object.hasOwn(opts.buildArgs, k) ? opts.buildArgs[k]! : v;
  const { env } = buildGlobalArgs({ predefined, metaArgs: opts.metaArgs, buildArgs: {}, lex: opts.lex });
  for (const st of opts.stages) {
    const r = tryProcess(opts.lex, st.from.image, env);
    if (r === undefined) return;
    if (!isValidImageReference(r.result)) {
      opts.lint.run(
        RULES.InvalidDefaultArgInFrom,
        opts.config,
        nodeLocation(st.from.node),
        MESSAGES.InvalidDefaultArgInFrom(st.from.image),
      );
    }
  }
}

/**
 * UndefinedArgInFrom, RedundantTargetPlatform and FromPlatformFlagConstDisallowed for every
 * stage's FROM (BuildKit buildDispatchStates). Returns each stage's expanded base name
 * (undefined when expansion failed).
 */
export function checkFromLines(opts: {
  stages: readonly Stage[];
  globals: GlobalArgs;
  lex: Lex;
  lint: Linter;
  config: LintConfig;
}): (string | undefined)[] {
  const { globals, lex, lint } = opts;
  const keys = [...new Set([...globals.declared, ...globals.env.keys()])];
  return opts.stages.map((st) => {
    const config = configFromComments(opts.config, st.from.comments);
    const ranges = nodeLocation(st.from.node);
    const undeclared = (arg: string, s: string) =>
      lint.run(RULES.UndefinedArgInFrom, config, ranges, MESSAGES.UndefinedArgInFrom(arg, s));
    const name = tryProcess(lex, st.from.image, globals.env);
    if (name !== undefined) reportUndeclared(name, keys, undeclared);
    const platform = st.from.platform;
    if (platform !== undefined) {
      const p = tryProcess(lex, platform, globals.env);
      if (p !== undefined) {
        reportUndeclared(p, keys, undeclared);
        if (
          p.matched.size === 1 &&
          p.unmatched.size === 0 &&
          p.matched.has('TARGETPLATFORM') &&
          p.result === globals.env.get('TARGETPLATFORM')
        ) {
          lint.run(RULES.RedundantTargetPlatform, config, ranges, MESSAGES.RedundantTargetPlatform(platform));
        }
        if (p.matched.size === 0 && p.unmatched.size === 0) {
          const spec = parsePlatformSpec(p.result, {
            os: globals.env.get('TARGETOS') ?? 'linux',
            architecture: globals.env.get('TARGETARCH') ?? 'amd64',
          });
          const stageName = st.name ?? '';
          if (spec !== undefined && !stageName.includes(spec.os) && !stageName.includes(spec.architecture)) {
            lint.run(
              RULES.FromPlatformFlagConstDisallowed,
              config,
              ranges,
              MESSAGES.FromPlatformFlagConstDisallowed(p.result),
            );
          }
        }
      }
    }
    return name?.result;
  });
}
