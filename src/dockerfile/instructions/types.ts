import type { Range } from '../../errors/dockerfile-error.ts';
import type { InstructionNode } from '../ast.ts';
import type { Device } from './parse-device.ts';
import type { Mount } from './parse-mount.ts';

/** Fields every typed instruction carries. */
export interface InstructionBase {
  /** The keyword as written (`RUN`, `run`, ...), as BuildKit's Command.Name(). */
  name: string;
  /** The instruction's source text, trimmed (BuildKit's String()). */
  code: string;
  range: Range;
  node: InstructionNode;
  /** Comment lines directly above the instruction. */
  comments: string[];
}

/** An ENV or LABEL pair; `noDelim` marks the legacy `KEY value` form. */
export interface KeyValuePair {
  key: string;
  value: string;
  noDelim: boolean;
}

/** One ARG declaration; `value` is undefined when no default was given. */
export interface ArgDeclaration {
  key: string;
  value?: string;
  /** Text of a `# NAME text` comment directly above, with the name stripped. */
  docComment: string;
}

/** A heredoc attached to RUN/CMD/ENTRYPOINT (BuildKit ShellInlineFile). */
export interface ShellInlineFile {
  name: string;
  /** Body as written (tabs are stripped later for `<<-`). */
  data: string;
  chomp: boolean;
}

/** A heredoc used as a COPY/ADD source (BuildKit SourceContent); tabs already stripped for `<<-`. */
export interface SourceContent {
  path: string;
  data: string;
  expand: boolean;
}

export interface ShellDependentCmdLine {
  /** Exec form: the JSON array; shell form: one element with the command text (empty when none). */
  cmdLine: string[];
  files: ShellInlineFile[];
  /** True for shell form (BuildKit PrependShell). */
  shellForm: boolean;
}

export type NetworkMode = 'default' | 'none' | 'host';
export type SecurityMode = 'sandbox' | 'insecure';

export interface FromInstruction extends InstructionBase {
  kind: 'from';
  /** The base image or stage reference, unexpanded. */
  image: string;
  /** The `AS` name lower-cased, when given. */
  stageName?: string;
  /** `--platform` value, unexpanded, when given. */
  platform?: string;
  docComment: string;
}

export interface RunInstruction extends InstructionBase, ShellDependentCmdLine {
  kind: 'run';
  /** Raw `--mount` values; see parseMount and `mountSpecs`. */
  mounts: string[];
  /** Mounts parsed with variables expanded: set by expandInstruction. */
  mountSpecs?: Mount[];
  network: NetworkMode;
  security: SecurityMode;
  devices: Device[];
  /** Flag names that appeared, in order first seen. */
  flagsUsed: string[];
}

export interface CmdInstruction extends InstructionBase, ShellDependentCmdLine {
  kind: 'cmd';
}

export interface EntrypointInstruction extends InstructionBase, ShellDependentCmdLine {
  kind: 'entrypoint';
}

export interface LabelInstruction extends InstructionBase {
  kind: 'label';
  pairs: KeyValuePair[];
}

export interface EnvInstruction extends InstructionBase {
  kind: 'env';
  pairs: KeyValuePair[];
}

export interface MaintainerInstruction extends InstructionBase {
  kind: 'maintainer';
  maintainer: string;
}

export interface ExposeInstruction extends InstructionBase {
  kind: 'expose';
  /** Port words, sorted (as BuildKit); parse with parsePorts after expansion. */
  ports: string[];
}

interface SourcesAndDest {
  /** File/URL/git sources (not heredocs). */
  sources: string[];
  /** Heredoc sources. */
  heredocSources: SourceContent[];
  dest: string;
  /** `--chown`, '' when not given. */
  chown: string;
  /** `--chmod`, '' when not given. */
  chmod: string;
  link: boolean;
  exclude: string[];
}

export interface AddInstruction extends InstructionBase, SourcesAndDest {
  kind: 'add';
  /** `--keep-git-dir`, undefined when not given. */
  keepGitDir?: boolean;
  /** `--checksum`, '' when not given. */
  checksum: string;
  /** `--unpack`, undefined when not given. */
  unpack?: boolean;
}

export interface CopyInstruction extends InstructionBase, SourcesAndDest {
  kind: 'copy';
  /** `--from` (stage name, index or image), '' when not given. */
  from: string;
  parents: boolean;
}

export interface VolumeInstruction extends InstructionBase {
  kind: 'volume';
  volumes: string[];
}

export interface UserInstruction extends InstructionBase {
  kind: 'user';
  user: string;
}

export interface WorkdirInstruction extends InstructionBase {
  kind: 'workdir';
  path: string;
}

export interface ArgInstruction extends InstructionBase {
  kind: 'arg';
  args: ArgDeclaration[];
}

export interface OnbuildInstruction extends InstructionBase {
  kind: 'onbuild';
  /** The trigger's source text (without `ONBUILD`), heredoc bodies re-attached. */
  expression: string;
}

export interface StopsignalInstruction extends InstructionBase {
  kind: 'stopsignal';
  signal: string;
}

/** Durations are in nanoseconds; 0 means "use the default". */
export interface HealthcheckInstruction extends InstructionBase {
  kind: 'healthcheck';
  /** `["NONE"]`, `["CMD", ...exec]` or `["CMD-SHELL", command]`. */
  test: string[];
  interval: number;
  timeout: number;
  startPeriod: number;
  startInterval: number;
  retries: number;
}

export interface ShellInstruction extends InstructionBase {
  kind: 'shell';
  shell: string[];
}

export type Instruction =
  | FromInstruction
  | RunInstruction
  | CmdInstruction
  | LabelInstruction
  | MaintainerInstruction
  | ExposeInstruction
  | EnvInstruction
  | AddInstruction
  | CopyInstruction
  | EntrypointInstruction
  | VolumeInstruction
  | UserInstruction
  | WorkdirInstruction
  | ArgInstruction
  | OnbuildInstruction
  | StopsignalInstruction
  | HealthcheckInstruction
  | ShellInstruction;

export type InstructionKind = Instruction['kind'];
