import type { ArgInstruction } from '../dockerfile/instructions/index.ts';
import type { Lex } from '../dockerfile/shell/index.ts';
import { DockerfileError } from '../errors/dockerfile-error.ts';
import type { EnvList } from './env-list.ts';

/**
 * Global ARGs (before the first FROM): a build arg wins; else the default, expanded with the
 * args defined so far. An ARG without a value and without a build arg stays undefined.
 */
export function buildMetaArgs(
  args: EnvList,
  lex: Lex,
  metaArgs: readonly ArgInstruction[],
  buildArgs: Readonly<Record<string, string>>,
): EnvList {
  for (const cmd of metaArgs) {
    for (const kp of cmd.args) {
      let value: string | undefined;
      if (Object.hasOwn(buildArgs, kp.key)) value = buildArgs[kp.key];
      else if (kp.value !== undefined) {
        try {
          value = lex.processWordWithMatches(kp.value, args).result;
        } catch (e) {
          const code =
            e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'E_PLAN_ARG';
          throw new DockerfileError(code, e instanceof Error ? e.message : String(e), [cmd.range], {
            cause: e,
          });
        }
      }
      if (value !== undefined) args = args.set(kp.key, value);
    }
  }
  return args;
}
