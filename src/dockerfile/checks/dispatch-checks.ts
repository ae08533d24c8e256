import type { Range } from '../../errors/dockerfile-error.ts';
import { expandInstruction } from '../instructions/expand-instruction.ts';
import { parsePortSpec } from '../instructions/expose-ports.ts';
import { nodeLocation } from '../instructions/node-location.ts';
import { suggest } from '../instructions/suggest.ts';
import type { Instruction } from '../instructions/types.ts';
import { Lex } from '../shell/lex.ts';
import type { Stage } from '../stages/types.ts';
import { EnvList } from './env-list.ts';
import type { GlobalArgs } from './from-checks.ts';
import { configFromComments, type LintConfig } from './lint-config.ts';
import type { Linter } from './linter.ts';
import { MESSAGES, RULES } from './rules.ts';

/** What a stage hands to stages built on it (BuildKit dispatchState fields the checks use). */
export interface StageScope {
  env: EnvList;
  /** Names declared by ARG in this stage and its base stages. */
  buildArgs: string[];
  workdirSet: boolean;
  /** True once SHELL ran (the image config's Shell is set). */
  shellSet: boolean;
  /**
   * False when the stage builds on an image whose ENV is not known: UndefinedVar is then not
   * reported (BuildKit would consult the image's ENV; guessing would give false warnings).
   */
  envKnown: boolean;
}

/** ARGs that never become environment variables. */
const NON_ENV_ARGS = new Set(['BUILDKIT_SBOM_SCAN_CONTEXT', 'BUILDKIT_SBOM_SCAN_STAGE']);
const SECRET = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
const SECRET_ALLOW = /(?:_|^)(?:public|file|version)(?:_|$)/i;
const EXPANDS = new Set<Instruction['kind']>([
  'env',
  'label',
  'add',
  'copy',
  'workdir',
  'run',
  'user',
  'volume',
  'stopsignal',
]);

export interface DispatchCheckContext {
  lex: Lex;
  lint: Linter;
  config: LintConfig;
  globals: GlobalArgs;
  buildArgs: Record<string, string>;
}

/**
 * Simulates one stage's dispatch for the checks BuildKit runs there: UndefinedVar,
 * LegacyKeyValueFormat, SecretsUsedInArgOrEnv, WorkdirRelativePath, JSONArgsRecommended,
 * MultipleInstructionsDisallowed, ExposeProtoCasing, ExposeInvalidFormat. `scope` is the base
 * stage's final scope, or a fresh one for an image; it is updated in place.
 */
export function dispatchChecks(stage: Stage, scope: StageScope, ctx: DispatchCheckContext): void {
  const trackers = new Map<string, Range[]>();
  const rawLex = new Lex({ escapeToken: '\\', skipProcessQuotes: true });
  for (const inst of stage.instructions) {
    const config = configFromComments(ctx.config, inst.comments);
    const ranges = nodeLocation(inst.node);
    const run = (rule: keyof typeof RULES, message: string, at: Range[] = ranges) =>
      ctx.lint.run(RULES[rule], config, at, message);
    const reportUnmatched = (unmatched: Set<string>) => {
      if (!scope.envKnown) return;
      for (const v of unmatched) {
        if (scope.buildArgs.includes(v) || NON_ENV_ARGS.has(v)) continue;
        run('UndefinedVar', MESSAGES.UndefinedVar(v, suggest(v, scope.env.keys(), true) ?? ''));
      }
    };
    const secret = (instruction: string, key: string) => {
      if (SECRET.test(key) && !SECRET_ALLOW.test(key))
        run('SecretsUsedInArgOrEnv', MESSAGES.SecretsUsedInArgOrEnv(instruction, key));
    };

    let expanded = inst;
    if (EXPANDS.has(inst.kind)) {
      const using = (lex: Lex) => (word: string) => {
        const r = lex.processWordWithMatches(word, scope.env);
        reportUnmatched(r.unmatched);
        return r.result;
      };
      try {
        expanded = expandInstruction(inst, using(ctx.lex), { expandRaw: using(rawLex) });
      } catch {
        continue; // the build fails here; nothing more to check for this instruction
      }
    }

    switch (expanded.kind) {
      case 'env':
        for (const p of expanded.pairs) {
          if (p.noDelim) run('LegacyKeyValueFormat', MESSAGES.LegacyKeyValueFormat(expanded.name));
          secret('ENV', p.key);
          scope.env.set(p.key, p.value);
        }
        break;
      case 'label':
        for (const p of expanded.pairs)
          if (p.noDelim) run('LegacyKeyValueFormat', MESSAGES.LegacyKeyValueFormat(expanded.name));
        break;
      case 'arg':
        for (const a of expanded.args) {
          secret('ARG', a.key);
          let value: string | undefined;
          if (Object.hasOwn(ctx.buildArgs, a.key)) value = ctx.buildArgs[a.key];
          else if (a.value !== undefined) {
            try {
              const r = ctx.lex.processWordWithMatches(a.value, scope.env);
              reportUnmatched(r.unmatched);
              value = r.result;
            } catch {
              value = undefined;
            }
          } else value = ctx.globals.env.get(a.key);
          if (value !== undefined && !NON_ENV_ARGS.has(a.key)) scope.env.set(a.key, value);
          scope.buildArgs.push(a.key);
        }
        break;
      case 'workdir':
        if (!scope.workdirSet && !expanded.path.startsWith('/')) {
          run('WorkdirRelativePath', MESSAGES.WorkdirRelativePath(expanded.path));
        }
        scope.workdirSet = true;
        break;
      case 'cmd':
      case 'entrypoint':
      case 'healthcheck': {
        const previous = trackers.get(expanded.kind);
        if (previous !== undefined)
          run(
            'MultipleInstructionsDisallowed',
            MESSAGES.MultipleInstructionsDisallowed(expanded.name),
            previous,
          );
        trackers.set(expanded.kind, ranges);
        if (expanded.kind !== 'healthcheck' && expanded.shellForm && !scope.shellSet) {
          run('JSONArgsRecommended', MESSAGES.JSONArgsRecommended(expanded.name));
        }
        break;
      }
      case 'shell':
        scope.shellSet = true;
        break;
      case 'expose':
        for (const word of expanded.ports) {
          let ports: string[];
          try {
            ports = ctx.lex.processWords(word, scope.env);
          } catch {
            continue;
          }
          for (const raw of ports) {
            try {
              const spec = parsePortSpec(raw);
              if (spec.proto !== spec.proto.toLowerCase())
                run('ExposeProtoCasing', MESSAGES.ExposeProtoCasing(raw));
              if (spec.ip !== '' || spec.hostPort !== '')
                run('ExposeInvalidFormat', MESSAGES.ExposeInvalidFormat(raw));
            } catch {
              // an invalid port fails the build at dispatch
            }
          }
        }
        break;
      default:
        break;
    }
  }
}

/**
 * The scope a stage starts with when it is based on an image; `imageEnv` undefined means the
 * image's ENV is unknown. PATH is always set.
 */
export function imageScope(imageEnv: readonly string[] | undefined): StageScope {
  const env = new EnvList();
  for (const e of imageEnv ?? []) {
    const eq = e.indexOf('=');
    env.set(eq === -1 ? e : e.slice(0, eq), eq === -1 ? '' : e.slice(eq + 1));
  }
  if (!env.has('PATH')) env.set('PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  return { env, buildArgs: [], workdirSet: false, shellSet: false, envKnown: imageEnv !== undefined };
}

export function cloneScope(s: StageScope): StageScope {
  return { ...s, env: s.env.clone(), buildArgs: [...s.buildArgs] };
}
