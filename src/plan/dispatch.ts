import type {
  AddInstruction,
  CopyInstruction,
  Instruction,
  Mount,
  NetworkMode,
  RunInstruction,
  SecurityMode,
} from '../dockerfile/instructions/index.ts';
import { expandInstruction, parseMount, parsePorts } from '../dockerfile/instructions/index.ts';
import { chompHeredocContent, goQuoteList, parseHeredoc } from '../dockerfile/parser/index.ts';
import { Lex } from '../dockerfile/shell/index.ts';
import { DockerfileError } from '../errors/dockerfile-error.ts';
import type { EnvList } from './env-list.ts';
import { goDuration, goList } from './go-format.ts';
import { normalizeWorkdir, resolveDest } from './paths.ts';
import { addEnv, commitHistory, runCommandString, type StageState, withShell } from './stage-state.ts';

/** What executing a step must do beyond the config change dispatch already made. */
export type StepAction =
  | { kind: 'config' }
  | {
      kind: 'run';
      inst: RunInstruction;
      args: string[];
      env: string[];
      cwd: string;
      user: string;
      network: NetworkMode;
      security: SecurityMode;
      mounts: Mount[];
      /** A heredoc script starting with `#!`, mounted read-only at `/dev/pipes/<name>`. */
      script?: { name: string; data: string };
    }
  | { kind: 'copy'; inst: CopyInstruction | AddInstruction; dest: string; workdir: string; user: string }
  | { kind: 'workdir'; path: string; user: string };

export interface DispatchContext {
  lex: Lex;
  /** Global (meta) args: an `ARG NAME` without default in a stage takes its value from here. */
  globalArgs: EnvList;
  buildArgs: Readonly<Record<string, string>>;
  /** `created` for history entries (RFC 3339), or undefined to omit it. */
  created?: string;
}

export interface DispatchResult {
  action: StepAction;
  /** The instruction after expansion (what runs and what the cache key hashes). */
  expanded: Instruction;
}

function wrap(e: unknown, inst: Instruction): never {
  if (e instanceof DockerfileError) {
    if (e.ranges.length === 0) e.ranges.push(inst.range);
    throw e;
  }
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') {
    const hint = 'hint' in e && typeof e.hint === 'string' ? e.hint : undefined;
    throw new DockerfileError(e.code, e.message, [inst.range], { hint, cause: e.cause });
  }
  throw e;
}

/**
 * Applies one instruction to a stage's state (BuildKit's dispatch): expands it with the
 * stage's environment, updates the image config and history, and says what must be executed.
 * Mutates `state`; pure otherwise.
 */
export function dispatchInstruction(
  state: StageState,
  inst: Instruction,
  ctx: DispatchContext,
): DispatchResult {
  try {
    return dispatchUnwrapped(state, inst, ctx);
  } catch (e) {
    wrap(e, inst);
  }
}

function dispatchUnwrapped(state: StageState, inst: Instruction, ctx: DispatchContext): DispatchResult {
  const { lex } = ctx;
  const c = state.config;
  const created = ctx.created;
  const expand = (w: string) => lex.processWord(w, state.env);
  const rawLex = new Lex({ escapeToken: '\\', skipProcessQuotes: true });
  const x =
    inst.kind === 'arg'
      ? inst
      : expandInstruction(inst, expand, {
          expandWords: (w) => lex.processWords(w, state.env),
          expandRaw: (w) => rawLex.processWord(w, state.env),
        });
  const config = (): DispatchResult => ({ action: { kind: 'config' }, expanded: x });

  switch (x.kind) {
    case 'from':
      throw new Error('FROM is not dispatched as a step');
    case 'maintainer':
      state.image.author = x.maintainer;
      commitHistory(state, `MAINTAINER ${x.maintainer}`, { withLayer: false, created });
      return config();
    case 'env': {
      let msg = 'ENV';
      for (const p of x.pairs) {
        msg += ` ${p.key}=${p.value}`;
        state.env = state.env.set(p.key, p.value);
        c.Env = addEnv(c.Env, p.key, p.value);
      }
      commitHistory(state, msg, { withLayer: false, created });
      return config();
    }
    case 'label': {
      let msg = 'LABEL';
      c.Labels = { ...(c.Labels ?? {}) };
      for (const p of x.pairs) {
        c.Labels[p.key] = p.value;
        msg += ` ${p.key}=${p.value}`;
      }
      commitHistory(state, msg, { withLayer: false, created });
      return config();
    }
    case 'onbuild':
      c.OnBuild = [...(c.OnBuild ?? []), x.expression];
      return config();
    case 'cmd': {
      const args = x.shellForm ? withShell(c, x.cmdLine) : x.cmdLine.slice();
      c.Cmd = args;
      c.ArgsEscaped = true;
      state.cmdSet = true;
      commitHistory(state, `CMD ${goQuoteList(args)}`, { withLayer: false, created });
      return config();
    }
    case 'entrypoint': {
      const args = x.shellForm ? withShell(c, x.cmdLine) : x.cmdLine.slice();
      c.Entrypoint = args;
      if (!state.cmdSet) c.Cmd = null;
      commitHistory(state, `ENTRYPOINT ${goQuoteList(args)}`, { withLayer: false, created });
      return config();
    }
    case 'healthcheck': {
      c.Healthcheck = {
        Test: x.test,
        Interval: x.interval,
        Timeout: x.timeout,
        StartPeriod: x.startPeriod,
        StartInterval: x.startInterval,
        Retries: x.retries,
      };
      const h = `{Test:${goList(x.test)} Interval:${goDuration(x.interval)} Timeout:${goDuration(x.timeout)} StartPeriod:${goDuration(x.startPeriod)} StartInterval:${goDuration(x.startInterval)} Retries:${x.retries}}`;
      commitHistory(state, `HEALTHCHECK ${h}`, { withLayer: false, created });
      return config();
    }
    case 'expose': {
      const ports = parsePorts(x.ports);
      c.ExposedPorts = { ...(c.ExposedPorts ?? {}) };
      for (const p of ports) c.ExposedPorts[p] = {};
      commitHistory(state, `EXPOSE ${goList(ports)}`, { withLayer: false, created });
      return config();
    }
    case 'user':
      c.User = x.user;
      commitHistory(state, `USER ${x.user}`, { withLayer: false, created });
      return config();
    case 'volume':
      c.Volumes = { ...(c.Volumes ?? {}) };
      for (const v of x.volumes) {
        if (v === '')
          throw new DockerfileError('E_DOCKERFILE_VOLUME', 'VOLUME specified can not be an empty string', [
            x.range,
          ]);
        c.Volumes[v] = {};
      }
      commitHistory(state, `VOLUME ${goList(x.volumes)}`, { withLayer: false, created });
      return config();
    case 'stopsignal':
      checkSignal(x.signal, x);
      c.StopSignal = x.signal;
      commitHistory(state, `STOPSIGNAL ${x.signal}`, { withLayer: false, created });
      return config();
    case 'shell':
      c.Shell = x.shell.slice();
      commitHistory(state, `SHELL ${goList(x.shell)}`, { withLayer: false, created });
      return config();
    case 'arg':
      dispatchArg(state, x, ctx);
      return config();
    case 'workdir': {
      state.workdirSet = true;
      const wd = normalizeWorkdir(c.WorkingDir ?? '', x.path);
      c.WorkingDir = wd;
      if (wd === '/') {
        commitHistory(state, `WORKDIR ${wd}`, { withLayer: false, created });
        return config();
      }
      // The layer flag is settled by build/ (an existing directory makes no layer).
      return { action: { kind: 'workdir', path: wd, user: c.User ?? '' }, expanded: x };
    }
    case 'run':
      return { action: runAction(state, x), expanded: x };
    case 'copy':
    case 'add': {
      if (x.kind === 'copy') {
        for (const s of x.sources) {
          if (/^https?:\/\//.test(s))
            throw new DockerfileError('E_DOCKERFILE_COPY_URL', "source can't be a URL for COPY", [x.range], {
              hint: 'use ADD to download a URL',
            });
        }
      }
      const workdir = c.WorkingDir || '/';
      return {
        action: { kind: 'copy', inst: x, dest: resolveDest(workdir, x.dest), workdir, user: c.User ?? '' },
        expanded: x,
      };
    }
    default: {
      const never: never = x;
      throw new Error(`unhandled instruction ${JSON.stringify(never)}`);
    }
  }
}

function runAction(state: StageState, x: RunInstruction): StepAction {
  const c = state.config;
  let args = x.cmdLine.slice();
  let script: { name: string; data: string } | undefined;
  if (x.files.length > 0) {
    const first = x.files[0]!;
    if (args.length === 1 && x.shellForm && parseHeredoc(args[0]!) !== undefined) {
      const data = first.chomp ? chompHeredocContent(first.data) : first.data;
      if (data.startsWith('#!')) {
        script = { name: first.name, data };
        args = [`/dev/pipes/${first.name}`];
      } else {
        args = [data];
      }
    } else {
      let s = args[0] ?? '';
      for (const f of x.files) s += `\n${f.data}${f.name}`;
      args = [s];
    }
  }
  if (x.shellForm && script === undefined) args = withShell(c, args);
  const mounts = x.mountSpecs ?? x.mounts.map((m) => parseMount(m));
  return {
    kind: 'run',
    inst: x,
    args,
    env: state.env.toStrings(),
    cwd: c.WorkingDir || '/',
    user: c.User ?? '',
    network: x.network,
    security: x.security,
    mounts,
    ...(script ? { script } : {}),
  };
}

/** Records the RUN's history entry (after it ran, or was found in the cache). */
export function commitRun(
  state: StageState,
  action: Extract<StepAction, { kind: 'run' }>,
  created?: string,
): void {
  commitHistory(state, `RUN ${runCommandString(action.args, state.buildArgs, state.env)}`, {
    withLayer: true,
    created,
    buildkitSuffix: true,
  });
}

/** Records a COPY/ADD history entry (BuildKit's dispatchCopy commit message). */
export function commitCopy(
  state: StageState,
  inst: CopyInstruction | AddInstruction,
  created?: string,
): void {
  let msg = inst.kind === 'add' ? 'ADD' : 'COPY';
  if (inst.kind === 'copy' && inst.parents) msg += ' --parents';
  if (inst.chown) msg += ` --chown=${inst.chown}`;
  if (inst.chmod) msg += ` --chmod=${inst.chmod}`;
  for (const s of inst.sources) msg += ` ${s}`;
  for (const h of inst.heredocSources) msg += ` <<${h.path}`;
  msg += ` ${inst.dest}`;
  commitHistory(state, msg, { withLayer: true, created, buildkitSuffix: true });
}

export function commitWorkdir(state: StageState, path: string, withLayer: boolean, created?: string): void {
  commitHistory(state, `WORKDIR ${path}`, { withLayer, created });
}

function dispatchArg(
  state: StageState,
  x: Extract<Instruction, { kind: 'arg' }>,
  ctx: DispatchContext,
): void {
  const parts: string[] = [];
  for (const arg of x.args) {
    const hasValue = Object.hasOwn(ctx.buildArgs, arg.key);
    let value = arg.value;
    if (value === undefined && !hasValue) {
      const g = ctx.globalArgs.get(arg.key);
      if (g !== undefined) value = g;
    } else if (hasValue) {
      value = ctx.buildArgs[arg.key];
    } else if (value !== undefined) {
      value = ctx.lex.processWord(value, state.env);
    }
    if (value !== undefined) state.env = state.env.set(arg.key, value);
    state.buildArgs.push(value === undefined ? { key: arg.key } : { key: arg.key, value });
    parts.push(value === undefined ? arg.key : `${arg.key}=${value}`);
  }
  commitHistory(state, `ARG ${parts.join(' ')}`, { withLayer: false, created: ctx.created });
}

const SIGNALS = new Set([
  'ABRT',
  'ALRM',
  'BUS',
  'CHLD',
  'CLD',
  'CONT',
  'FPE',
  'HUP',
  'ILL',
  'INT',
  'IO',
  'IOT',
  'KILL',
  'PIPE',
  'POLL',
  'PROF',
  'PWR',
  'QUIT',
  'SEGV',
  'STKFLT',
  'STOP',
  'SYS',
  'TERM',
  'TRAP',
  'TSTP',
  'TTIN',
  'TTOU',
  'UNUSED',
  'URG',
  'USR1',
  'USR2',
  'VTALRM',
  'WINCH',
  'XCPU',
  'XFSZ',
]);

/** moby's signal.ParseSignal: a number, `SIGNAME`, `NAME`, or `RTMIN+n`. */
function checkSignal(sig: string, inst: Instruction): void {
  const n = Number(sig);
  if (/^\d+$/.test(sig) && n > 0) return;
  const name = sig.toUpperCase().replace(/^SIG/, '');
  if (SIGNALS.has(name) || /^RTMIN(\+([1-9]|1[0-5]))?$/.test(name) || /^RTMAX(-([1-9]|1[0-4]))?$/.test(name))
    return;
  throw new DockerfileError('E_DOCKERFILE_SIGNAL', `Invalid signal: ${sig}`, [inst.range], {
    hint: 'use a signal name like SIGTERM or a number',
  });
}
