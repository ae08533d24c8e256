import { parseFlags } from './bflags.ts';
import { instructionError } from './instruction-error.ts';
import {
  errAtLeastOneArgument,
  errBlankCommandNames,
  errExactlyOneArgument,
  errTooManyArguments,
  getDocComment,
  handleJSONArgs,
  type ParseRequest,
} from './parse-request.ts';
import type {
  ArgDeclaration,
  ArgInstruction,
  CmdInstruction,
  EntrypointInstruction,
  EnvInstruction,
  ExposeInstruction,
  KeyValuePair,
  LabelInstruction,
  MaintainerInstruction,
  OnbuildInstruction,
  ShellDependentCmdLine,
  ShellInstruction,
  StopsignalInstruction,
  UserInstruction,
  VolumeInstruction,
  WorkdirInstruction,
} from './types.ts';

/** Instructions with no flags and simple arguments (BuildKit parse.go). */

function noFlags(req: ParseRequest): void {
  parseFlags(req.flags, []);
}

function parseKvps(args: readonly string[], cmdName: string): KeyValuePair[] {
  if (args.length === 0) throw errAtLeastOneArgument(cmdName);
  if (args.length % 3 !== 0) throw errTooManyArguments(cmdName);
  const out: KeyValuePair[] = [];
  for (let j = 0; j < args.length; j += 3) {
    if (args[j] === '') throw errBlankCommandNames(cmdName);
    out.push({ key: args[j]!, value: args[j + 1]!, noDelim: args[j + 2] === '' });
  }
  return out;
}

export function parseEnv(req: ParseRequest): EnvInstruction {
  noFlags(req);
  return { ...req.base, kind: 'env', pairs: parseKvps(req.args, 'ENV') };
}

export function parseLabel(req: ParseRequest): LabelInstruction {
  noFlags(req);
  return { ...req.base, kind: 'label', pairs: parseKvps(req.args, 'LABEL') };
}

export function parseMaintainer(req: ParseRequest): MaintainerInstruction {
  if (req.args.length !== 1) throw errExactlyOneArgument('MAINTAINER');
  noFlags(req);
  return { ...req.base, kind: 'maintainer', maintainer: req.args[0]! };
}

export function parseWorkdir(req: ParseRequest): WorkdirInstruction {
  if (req.args.length !== 1) throw errExactlyOneArgument('WORKDIR');
  noFlags(req);
  return { ...req.base, kind: 'workdir', path: req.args[0]! };
}

export function parseUser(req: ParseRequest): UserInstruction {
  if (req.args.length !== 1) throw errExactlyOneArgument('USER');
  noFlags(req);
  return { ...req.base, kind: 'user', user: req.args[0]! };
}

/** BuildKit does not parse STOPSIGNAL's flags (they are ignored). */
export function parseStopSignal(req: ParseRequest): StopsignalInstruction {
  if (req.args.length !== 1) throw errExactlyOneArgument('STOPSIGNAL');
  return { ...req.base, kind: 'stopsignal', signal: req.args[0]! };
}

export function parseExpose(req: ParseRequest): ExposeInstruction {
  if (req.args.length === 0) throw errAtLeastOneArgument('EXPOSE');
  noFlags(req);
  return { ...req.base, kind: 'expose', ports: [...req.args].sort() };
}

export function parseVolume(req: ParseRequest): VolumeInstruction {
  if (req.args.length === 0) throw errAtLeastOneArgument('VOLUME');
  noFlags(req);
  const volumes = req.args.map((v) => {
    const t = v.trim();
    if (t === '')
      throw instructionError('E_DOCKERFILE_INSTRUCTION', 'VOLUME specified can not be an empty string');
    return t;
  });
  return { ...req.base, kind: 'volume', volumes };
}

/** BuildKit does not parse ARG's flags (they are ignored). */
export function parseArg(req: ParseRequest): ArgInstruction {
  if (req.args.length < 1) throw errAtLeastOneArgument('ARG');
  const args = req.args.map((arg): ArgDeclaration => {
    const eq = arg.indexOf('=');
    if (eq === -1) return { key: arg, docComment: getDocComment(req.base.comments, arg) };
    const key = arg.slice(0, eq);
    if (key === '') throw errBlankCommandNames('ARG');
    return { key, value: arg.slice(eq + 1), docComment: getDocComment(req.base.comments, key) };
  });
  return { ...req.base, kind: 'arg', args };
}

export function parseShellDependentCmdLine(req: ParseRequest): ShellDependentCmdLine {
  return {
    cmdLine: handleJSONArgs(req.args, req.json),
    files: req.node.heredocs.map((h) => ({ name: h.name, data: h.content, chomp: h.chomp })),
    shellForm: !req.json,
  };
}

export function parseCmd(req: ParseRequest): CmdInstruction {
  noFlags(req);
  return { ...req.base, kind: 'cmd', ...parseShellDependentCmdLine(req) };
}

export function parseEntrypoint(req: ParseRequest): EntrypointInstruction {
  noFlags(req);
  return { ...req.base, kind: 'entrypoint', ...parseShellDependentCmdLine(req) };
}

export function parseShell(req: ParseRequest): ShellInstruction {
  noFlags(req);
  const shell = handleJSONArgs(req.args, req.json);
  if (shell.length === 0) throw errAtLeastOneArgument('SHELL');
  if (!req.json)
    throw instructionError('E_DOCKERFILE_INSTRUCTION', 'SHELL requires the arguments to be in JSON form');
  return { ...req.base, kind: 'shell', shell };
}

export function parseOnBuild(req: ParseRequest): OnbuildInstruction {
  if (req.args.length === 0) throw errAtLeastOneArgument('ONBUILD');
  noFlags(req);
  const trigger = req.args[0]!.trim().toUpperCase();
  if (trigger === 'ONBUILD') {
    throw instructionError(
      'E_DOCKERFILE_INSTRUCTION',
      "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
    );
  }
  if (trigger === 'MAINTAINER' || trigger === 'FROM') {
    throw instructionError('E_DOCKERFILE_INSTRUCTION', `${trigger} isn't allowed as an ONBUILD trigger`);
  }
  let expression = req.node.original.replace(/^\s*ONBUILD\s*/i, '');
  const heredocs = req.node.heredocs.length > 0 ? req.node.heredocs : (req.node.sub?.heredocs ?? []);
  for (const h of heredocs) expression += `\n${h.content}${h.name}`;
  return { ...req.base, kind: 'onbuild', expression };
}
