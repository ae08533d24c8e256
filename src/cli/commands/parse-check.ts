import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { lintDockerfile } from '../../dockerfile/checks/index.ts';
import { dumpAst, parse } from '../../dockerfile/parser/index.ts';
import { parseStages } from '../../dockerfile/stages/index.ts';
import { DockerfileError } from '../../errors/dockerfile-error.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { convertDockerfile } from '../../plan/convert.ts';
import { formatPlatform, platformFromNode } from '../../plan/platform.ts';
import { parseBuildArgs } from '../build-flags.ts';
import type { CliEnv } from '../cli-env.ts';
import { codeFrame } from '../code-frame.ts';

async function readSource(cli: CliEnv, file: string | undefined): Promise<{ name: string; text: string }> {
  const name = file ?? 'Dockerfile';
  try {
    return { name, text: await readFile(resolve(cli.cwd, name), 'utf8') };
  } catch (e) {
    throw new GantryError('E_DOCKERFILE_NOT_FOUND', `cannot read ${name}`, {
      hint: 'name the Dockerfile with -f',
      cause: e,
    });
  }
}

function located<T>(source: { name: string; text: string }, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof DockerfileError && e.source === undefined) e.withSource(source);
    throw e;
  }
}

/** `gantry parse`: the stages and typed instructions, as BuildKit's AST dump plus a stage list, or JSON. */
export async function parseCommand(f: { file?: string; json?: boolean }, cli: CliEnv): Promise<void> {
  const source = await readSource(cli, f.file);
  const parsed = located(source, () => parse(source.text));
  const { stages, metaArgs } = located(source, () => parseStages(parsed));
  if (f.json) {
    const strip = (i: object) => Object.fromEntries(Object.entries(i).filter(([k]) => k !== 'node'));
    cli.out(
      `${JSON.stringify(
        {
          directives: parsed.directives,
          warnings: parsed.warnings,
          metaArgs: metaArgs.map(strip),
          stages: stages.map((s) => ({
            index: s.index,
            name: s.name,
            from: strip(s.from),
            instructions: s.instructions.map(strip),
          })),
        },
        null,
        2,
      )}\n`,
    );
    return;
  }
  cli.out(`${dumpAst(parsed)}\n`);
  for (const s of stages) {
    cli.out(
      `stage ${s.index}${s.name ? ` (${s.name})` : ''}: FROM ${s.from.image}, ${s.instructions.length} instruction${s.instructions.length === 1 ? '' : 's'}\n`,
    );
  }
}

/** `gantry check`: build checks and conversion errors, each with a code frame; exit 1 on errors. */
export async function checkCommand(
  f: { file?: string; buildArg: string[]; target?: string },
  cli: CliEnv,
): Promise<number> {
  const source = await readSource(cli, f.file);
  const buildArgs = parseBuildArgs(f.buildArg, cli.env);
  const parsed = located(source, () => parse(source.text));
  const { stages, metaArgs } = located(source, () => parseStages(parsed));
  const host = platformFromNode(process.arch);
  const lint = lintDockerfile({
    parsed,
    stages,
    metaArgs,
    buildArgs,
    ...(f.target ? { target: f.target } : {}),
    platformArgs: { BUILDPLATFORM: formatPlatform(host), TARGETPLATFORM: formatPlatform(host) },
  });
  for (const w of lint.warnings) {
    const r = w.ranges[0];
    cli.out(`WARN: ${w.rule} - ${w.message}${w.url ? ` (${w.url})` : ''}\n`);
    if (r) cli.out(`${codeFrame(source, r, 1)}\n`);
  }
  let errors = lint.errors.length;
  for (const e of lint.errors) {
    e.withSource(source);
    const r = e.ranges[0];
    cli.out(`ERROR: ${e.message}\n`);
    if (r) cli.out(`${codeFrame(source, r, 1)}\n`);
  }
  try {
    convertDockerfile({
      text: source.text,
      buildArgs,
      ...(f.target ? { target: f.target } : {}),
      buildPlatform: host,
      targetPlatform: host,
    });
  } catch (e) {
    if (!(e instanceof DockerfileError)) throw e;
    errors++;
    cli.out(`ERROR: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}\n`);
    if (e.ranges[0]) cli.out(`${codeFrame(source, e.ranges[0], 1)}\n`);
  }
  cli.out(
    `${source.name}: ${lint.warnings.length} warning${lint.warnings.length === 1 ? '' : 's'}, ${errors} error${errors === 1 ? '' : 's'}\n`,
  );
  return errors > 0 ? 1 : 0;
}
