import type { ArgInstruction, Instruction } from '../dockerfile/instructions/index.ts';
import { parseMount } from '../dockerfile/instructions/index.ts';
import { Lex } from '../dockerfile/shell/index.ts';
import type { Stage } from '../dockerfile/stages/index.ts';
import { resolveTarget } from '../dockerfile/stages/index.ts';
import { DockerfileError } from '../errors/dockerfile-error.ts';
import type { Platform } from '../oci/types.ts';
import { defaultArgs } from './default-args.ts';
import type { EnvList } from './env-list.ts';
import { buildMetaArgs } from './meta-args.ts';
import { parsePlatform } from './platform.ts';

/** Where a stage's root filesystem starts, or where `COPY --from`/`RUN --mount from=` reads. */
export type SourceRef =
  | { kind: 'scratch' }
  | { kind: 'stage'; index: number }
  | { kind: 'image'; ref: string };

export interface PlannedStage {
  /** Index in the Dockerfile. */
  index: number;
  /** `AS` name (lower-cased) or `stage-N`; empty for a single-stage file (as BuildKit). */
  stageName: string;
  /** The user-facing label in progress output: the name, else the index. */
  label: string;
  stage: Stage;
  /** The FROM reference after meta-arg expansion. */
  baseName: string;
  base: SourceRef;
  /** `FROM --platform=` after expansion, when given. */
  platform?: Platform;
  /** Per instruction index: what `COPY --from` / `RUN --mount from=` refer to. */
  sources: Map<number, SourceRef[]>;
  /** Stages this one needs (base and sources), without duplicates. */
  deps: number[];
  /** Whether the target needs this stage. */
  reachable: boolean;
}

export interface StagePlan {
  stages: PlannedStage[];
  /** Index of the stage that becomes the image. */
  target: number;
  /** Global (meta) args after build args and expansion: visible to FROM lines and `ARG NAME` redeclarations. */
  globalArgs: EnvList;
  /** Build args given but declared by no ARG anywhere (BuildKit warns about them). */
  unusedBuildArgs: string[];
}

export interface PlanStagesOptions {
  stages: Stage[];
  metaArgs: ArgInstruction[];
  buildArgs: Readonly<Record<string, string>>;
  target?: string;
  buildPlatform: Platform;
  targetPlatform: Platform;
  escapeToken?: '\\' | '`';
}

function located(e: unknown, inst: { range: DockerfileError['ranges'][number] }, code = 'E_PLAN'): unknown {
  if (e instanceof DockerfileError) {
    if (e.ranges.length === 0) e.ranges.push(inst.range);
    return e;
  }
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') {
    const hint = 'hint' in e && typeof e.hint === 'string' ? e.hint : undefined;
    return new DockerfileError(e.code, e.message, [inst.range], { hint, cause: e.cause });
  }
  if (e instanceof Error) return new DockerfileError(code, e.message, [inst.range]);
  return e;
}

/** BuildKit's stage resolution: expand FROM lines, link stages, find the target, detect cycles, prune. */
export function planStages(opts: PlanStagesOptions): StagePlan {
  const { stages } = opts;
  if (stages.length === 0)
    throw new DockerfileError('E_DOCKERFILE_NO_STAGE', 'the Dockerfile has no FROM instruction', []);
  const lex = new Lex({ escapeToken: opts.escapeToken ?? '\\' });
  const targetIndex = resolveTarget(stages, opts.target);
  const targetName = stages[targetIndex]?.name ?? '';
  let globalArgs = defaultArgs({
    buildPlatform: opts.buildPlatform,
    targetPlatform: opts.targetPlatform,
    target: opts.target ?? stages[stages.length - 1]?.name ?? targetName,
    overrides: opts.buildArgs,
  });
  globalArgs = buildMetaArgs(globalArgs, lex, opts.metaArgs, opts.buildArgs);

  const byName = new Map<string, number>();
  const planned: PlannedStage[] = [];
  for (const st of stages) {
    let baseName: string;
    try {
      baseName = lex.processWordWithMatches(st.from.image, globalArgs).result;
    } catch (e) {
      throw located(e, st.from);
    }
    if (baseName === '') {
      throw new DockerfileError(
        'E_PLAN_BASE_BLANK',
        `base name (${st.from.image}) should not be blank`,
        [st.from.range],
        {
          hint: 'FROM needs an image name, a stage name or "scratch"; check the ARGs it uses',
        },
      );
    }
    let platform: Platform | undefined;
    if (st.from.platform !== undefined && st.from.platform !== '') {
      let p: string;
      try {
        p = lex.processWordWithMatches(st.from.platform, globalArgs).result;
      } catch (e) {
        throw located(e, st.from);
      }
      if (p === '') {
        throw new DockerfileError(
          'E_PLAN_PLATFORM',
          `empty platform value from expression ${st.from.platform}`,
          [st.from.range],
        );
      }
      try {
        platform = parsePlatform(p);
      } catch (e) {
        throw located(e, st.from);
      }
    }
    // Base lookup sees only the stages registered before this one, by exact (lower-cased) name.
    const baseStage = byName.get(baseName);
    const base: SourceRef =
      baseStage !== undefined
        ? { kind: 'stage', index: baseStage }
        : baseName === 'scratch'
          ? { kind: 'scratch' }
          : { kind: 'image', ref: baseName };
    const stageName = st.name ?? `stage-${st.index}`;
    planned.push({
      index: st.index,
      stageName,
      label: st.name ?? String(st.index),
      stage: st,
      baseName,
      base,
      platform,
      sources: new Map(),
      deps: [],
      reachable: false,
    });
    if (st.name !== undefined) byName.set(st.name.toLowerCase(), st.index);
  }

  // Dependencies from COPY --from and RUN --mount from= (these may name any stage, earlier or later).
  const sourceFor = (from: string, inst: Instruction): SourceRef => {
    if (/^-?\d+$/.test(from)) {
      const index = Number(from);
      if (index < 0 || index >= planned.length) {
        throw new DockerfileError('E_PLAN_STAGE_INDEX', `invalid stage index ${from}`, [inst.range], {
          hint: `this Dockerfile has stages 0 to ${planned.length - 1}`,
        });
      }
      return { kind: 'stage', index };
    }
    const byStage = byName.get(from.toLowerCase());
    if (byStage !== undefined) return { kind: 'stage', index: byStage };
    return { kind: 'image', ref: from };
  };
  for (const p of planned) {
    p.stage.instructions.forEach((inst, i) => {
      const refs: SourceRef[] = [];
      if (inst.kind === 'copy' && inst.from !== '') {
        let expanded: string;
        try {
          expanded = lex.processWordWithMatches(inst.from, { get: () => undefined, keys: () => [] }).result;
        } catch (e) {
          throw located(e, inst);
        }
        if (expanded !== inst.from) {
          throw new DockerfileError(
            'E_PLAN_FROM_VARIABLE',
            'variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround',
            [inst.range],
          );
        }
        refs.push(sourceFor(inst.from, inst));
      }
      if (inst.kind === 'run') {
        for (const raw of inst.mounts) {
          let m: ReturnType<typeof parseMount>;
          try {
            m = parseMount(raw);
          } catch (e) {
            throw located(e, inst);
          }
          if (m.from !== '' && m.type !== 'secret' && m.type !== 'ssh') refs.push(sourceFor(m.from, inst));
        }
      }
      if (refs.length > 0) p.sources.set(i, refs);
    });
    const deps = new Set<number>();
    if (p.base.kind === 'stage') deps.add(p.base.index);
    for (const refs of p.sources.values()) for (const r of refs) if (r.kind === 'stage') deps.add(r.index);
    p.deps = [...deps].sort((a, b) => a - b);
  }

  detectCycles(planned);

  const visit = (i: number) => {
    const p = planned[i]!;
    if (p.reachable) return;
    p.reachable = true;
    p.deps.forEach(visit);
  };
  visit(targetIndex);

  // A stage is dispatched in file order, so it can only read from stages defined before it.
  for (const p of planned) {
    if (!p.reachable) continue;
    for (const [instIndex, refs] of p.sources) {
      const inst = p.stage.instructions[instIndex]!;
      for (const r of refs) {
        if (r.kind !== 'stage' || r.index < p.index) continue;
        const other = planned[r.index]!;
        const message =
          inst.kind === 'copy'
            ? `cannot copy from stage ${JSON.stringify(inst.from)}, it needs to be defined before current stage ${JSON.stringify(p.stageName)}`
            : `cannot mount from stage ${JSON.stringify(other.stageName)} to ${JSON.stringify(p.stageName)}, stage needs to be defined before current command`;
        throw new DockerfileError('E_PLAN_STAGE_ORDER', message, [inst.range], {
          hint: `move stage ${JSON.stringify(other.label)} above stage ${JSON.stringify(p.label)}`,
        });
      }
    }
  }

  if (planned.length === 1) planned[0]!.stageName = '';

  const declared = new Set<string>();
  for (const m of opts.metaArgs) for (const a of m.args) declared.add(a.key);
  for (const s of stages)
    for (const inst of s.instructions)
      if (inst.kind === 'arg') for (const a of inst.args) declared.add(a.key);
  const unusedBuildArgs = Object.keys(opts.buildArgs)
    .filter((k) => !declared.has(k) && !PREDEFINED_ARGS.has(k))
    .sort();

  return { stages: planned, target: targetIndex, globalArgs, unusedBuildArgs };
}

/** Build args that every build accepts without an ARG (Docker's predefined proxy args and friends). */
export const PREDEFINED_ARGS: ReadonlySet<string> = new Set([
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
  'SOURCE_DATE_EPOCH',
  'BUILDKIT_SYNTAX',
  'BUILDKIT_INLINE_CACHE',
  'BUILDKIT_MULTI_PLATFORM',
  'BUILDKIT_SANDBOX_HOSTNAME',
  'BUILDKIT_CONTEXT_KEEP_GIT_DIR',
  'BUILDKIT_CACHE_MOUNT_NS',
]);

/** A depth-first search over COPY --from / RUN --mount edges, as BuildKit's validateCircularDependency. */
function detectCycles(planned: PlannedStage[]): void {
  const visited = new Set<number>();
  const onPath = new Set<number>();
  const visit = (i: number, path: Instruction[]): Instruction[] | undefined => {
    if (visited.has(i)) return undefined;
    visited.add(i);
    onPath.add(i);
    const p = planned[i]!;
    for (const [instIndex, refs] of p.sources) {
      for (const r of refs) {
        if (r.kind !== 'stage') continue;
        const next = [...path, p.stage.instructions[instIndex]!];
        if (onPath.has(r.index)) return next;
        const found = visit(r.index, next);
        if (found) return found;
      }
    }
    if (p.base.kind === 'stage') {
      const found = visit(p.base.index, path);
      if (found) return found;
    }
    onPath.delete(i);
    return undefined;
  };
  for (const p of planned) {
    const cycle = visit(p.index, []);
    if (cycle) {
      throw new DockerfileError(
        'E_PLAN_CYCLE',
        `circular dependency detected on stage: ${p.stageName}`,
        cycle.map((c) => c.range),
        { hint: 'a stage cannot COPY --from (or mount from) itself or a stage that depends on it' },
      );
    }
  }
}
