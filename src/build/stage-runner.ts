import type { Instruction } from '../dockerfile/instructions/index.ts';
import { parseInstruction } from '../dockerfile/instructions/index.ts';
import { nodeLocation } from '../dockerfile/instructions/node-location.ts';
import { parse } from '../dockerfile/parser/index.ts';
import { DockerfileError } from '../errors/dockerfile-error.ts';
import { GantryError } from '../errors/gantry-error.ts';
import { StepError } from '../errors/step-error.ts';
import { chainIds } from '../oci/chain-id.ts';
import { commitCopy, commitRun, commitWorkdir, dispatchInstruction } from '../plan/dispatch.ts';
import type { PlannedStage, SourceRef } from '../plan/plan-stages.ts';
import { formatPlatform } from '../plan/platform.ts';
import { emptyImageConfig, initialStageState, type StageState } from '../plan/stage-state.ts';
import type { BuildContext } from './build-context.ts';
import { baseKey, stepKey } from './cache-key.ts';
import { executeCopy } from './steps/copy-step.ts';
import { executeWorkdir } from './steps/workdir-step.ts';
import type { BuiltLayer, StageResult } from './types.ts';

interface CachedStep {
  layer: BuiltLayer | null;
}

/** Counts the steps BuildKit numbers in `[stage i/total]`: FROM an image, ADD, COPY, RUN, WORKDIR. */
function countSteps(p: PlannedStage, triggers: number): number {
  let n = p.base.kind === 'image' ? 1 : 0;
  for (const i of p.stage.instructions) if (['add', 'copy', 'run', 'workdir'].includes(i.kind)) n++;
  return n + triggers;
}

/** How many ONBUILD triggers make a step of their own (ADD, COPY, RUN, WORKDIR). */
function stepTriggers(triggers: readonly string[]): number {
  return triggers.filter((t) => /^\s*(add|copy|run|workdir)\b/i.test(t)).length;
}

/** Parses ONBUILD trigger expressions into instructions located at the FROM line. */
function parseTriggers(triggers: readonly string[], p: PlannedStage): Instruction[] {
  return triggers.map((t) => {
    try {
      const ast = parse(t);
      if (ast.children.length !== 1)
        throw new GantryError('E_ONBUILD_TRIGGER', 'onbuild trigger should be a single expression');
      const inst = parseInstruction(ast.children[0]!);
      return { ...inst, range: p.stage.from.range };
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new DockerfileError(
        'E_ONBUILD_TRIGGER',
        `ONBUILD trigger ${JSON.stringify(t)} of the base image: ${msg}`,
        [p.stage.from.range],
      );
    }
  });
}

/** Builds one stage: its base, then each instruction in order, reusing cached steps. */
export async function runStage(
  p: PlannedStage,
  ctx: BuildContext,
  results: ReadonlyMap<number, StageResult>,
  /** Waits for a stage this one copies or mounts from (the base stage is done before it starts). */
  waitFor: (index: number) => Promise<StageResult> = async (index) => {
    const r = results.get(index);
    if (r === undefined) throw new Error(`stage ${index} is not built before stage ${p.index}`);
    return r;
  },
): Promise<StageResult> {
  const platform = p.platform ?? ctx.targetPlatform;
  const useCache = !ctx.opts.noCache && ctx.cacheEnabled(p.stage.name ?? '');
  let state: StageState;
  let layers: BuiltLayer[];
  let key: string;
  let triggers: string[];
  let stepNo = 0;
  // BuildKit prints `[2/3]` for a single-stage file and `[name 2/3]` (or `[stage-1 2/3]`) otherwise.
  const stageLabel = p.stageName === '' ? '' : (p.stage.name ?? p.stageName);
  const stepLabel = (n: number, total: number) =>
    stageLabel === '' ? `${n}/${total}` : `${stageLabel} ${n}/${total}`;

  if (p.base.kind === 'stage') {
    const base = results.get(p.base.index);
    if (base === undefined) throw new Error(`stage ${p.base.index} is not built before stage ${p.index}`);
    state = initialStageState({ base: base.state, platform });
    layers = base.layers.slice();
    key = base.key;
    triggers = base.onbuild;
  } else if (p.base.kind === 'image') {
    const ref = p.base.ref;
    const id = ctx.nextStepId();
    stepNo++;
    const t0 = Date.now();
    const start = (triggerCount: number) =>
      ctx.events({
        type: 'step-start',
        id,
        stage: stageLabel || 'stage',
        label: stepLabel(stepNo, countSteps(p, triggerCount)),
        text: `FROM ${ref}`,
      });
    let img: Awaited<ReturnType<BuildContext['image']>>;
    try {
      img = await ctx.image(ref);
    } catch (e) {
      start(0);
      ctx.events({
        type: 'step-error',
        id,
        ms: Date.now() - t0,
        message: e instanceof Error ? e.message : String(e),
      });
      if (e instanceof GantryError && !(e instanceof DockerfileError)) {
        throw new DockerfileError(e.code, e.message, [p.stage.from.range], { hint: e.hint, cause: e.cause });
      }
      throw e;
    }
    // The step total counts the base image's ONBUILD triggers, known only once it is resolved.
    start(stepTriggers(img.config.config?.OnBuild ?? []));
    ctx.events({ type: 'step-done', id, ms: Date.now() - t0 });
    state = initialStageState({ base: img.config, platform });
    // BuildKit runs the base image's ONBUILD triggers here and does not pass them on.
    state.config.OnBuild = null;
    layers = img.layers.slice();
    key = baseKey({ kind: 'image', manifestDigest: img.manifest.digest }, formatPlatform(platform));
    triggers = img.config.config?.OnBuild ?? [];
  } else {
    state = initialStageState({ base: emptyImageConfig(platform), platform });
    layers = [];
    key = baseKey({ kind: 'scratch' }, formatPlatform(platform));
    triggers = [];
  }

  const triggerInsts = parseTriggers(triggers, p);
  const instructions: { inst: Instruction; sources: SourceRef[] | undefined }[] = [
    ...triggerInsts.map((inst) => ({ inst, sources: undefined })),
    ...p.stage.instructions.map((inst, i) => ({ inst, sources: p.sources.get(i) })),
  ];
  const total = countSteps(p, stepTriggers(triggers));
  const dctx = {
    lex: ctx.lex,
    globalArgs: ctx.globalArgs,
    buildArgs: ctx.opts.buildArgs,
    created: ctx.created,
  };

  const lookup = async (k: string): Promise<BuiltLayer | null | undefined> => {
    if (!useCache) return undefined;
    const rec = await ctx.store.cache.get(k);
    if (rec === undefined) return undefined;
    const data = rec.data as CachedStep;
    if (data.layer === null) return null;
    if (!(await ctx.store.blobs.has(data.layer.descriptor.digest))) return undefined;
    return data.layer;
  };
  const save = async (
    k: string,
    parents: readonly BuiltLayer[],
    layer: BuiltLayer | undefined,
  ): Promise<void> => {
    const snapshots = layer ? [chainIds([...parents.map((l) => l.diffId), layer.diffId]).at(-1)!] : [];
    await ctx.store.cache.set(k, {
      blobs: layer ? [layer.descriptor.digest] : [],
      snapshots,
      data: { layer: layer ?? null } satisfies CachedStep,
      createdAt: new Date().toISOString(),
    });
  };

  for (const { inst, sources } of instructions) {
    if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('build cancelled');
    const r = dispatchInstruction(state, inst, dctx);
    const action = r.action;
    if (action.kind === 'config') continue;
    // A COPY --from or RUN --mount from= stage: this step, not the whole stage, waits for it.
    for (const src of sources ?? []) if (src.kind === 'stage') await waitFor(src.index);
    stepNo++;
    const id = ctx.nextStepId();
    ctx.events({
      type: 'step-start',
      id,
      stage: stageLabel || 'stage',
      label: stepLabel(stepNo, total),
      text: inst.code,
    });
    const t0 = Date.now();
    try {
      let layer: BuiltLayer | undefined;
      let cached = false;
      if (action.kind === 'run') {
        const { inst: _inst, ...payload } = action;
        const mountSources: (SourceRef | undefined)[] = [];
        let si = 0;
        for (const m of action.mounts) {
          const fromStage = m.from !== '' && m.type !== 'secret' && m.type !== 'ssh';
          mountSources.push(
            fromStage ? sources?.[si + (inst.kind === 'copy' && inst.from ? 1 : 0)] : undefined,
          );
          if (fromStage) si++;
        }
        const mountKeys = mountSources.map((s) =>
          s === undefined
            ? null
            : s.kind === 'stage'
              ? `stage:${results.get(s.index)?.key ?? ''}`
              : s.kind === 'image'
                ? `image:${s.ref}`
                : 'scratch',
        );
        // Key on the network the step really gets (`default` means the build's --network).
        const network = action.network === 'default' ? ctx.opts.network : action.network;
        const k = stepKey(key, 'run', { ...payload, network, mountKeys, secrets: undefined });
        const hit = await lookup(k);
        if (hit !== undefined) {
          layer = hit ?? undefined;
          cached = true;
        } else {
          // Loaded on the first RUN that executes: a cached build never needs the runtime code.
          const { executeRun } = await import('./steps/run-step.ts');
          layer = await executeRun({ ctx, action, layers, mountSources, stageResults: results, stepId: id });
          await save(k, layers, layer);
        }
        commitRun(state, action, layer?.created ?? ctx.created);
        key = k;
      } else if (action.kind === 'copy') {
        const from = sources?.[0];
        const res = await executeCopy({
          ctx,
          action,
          layers,
          parentKey: key,
          from,
          stageResults: results,
          lookup,
        });
        if (!res.cached) await save(res.key, layers, res.layer);
        layer = res.layer;
        cached = res.cached;
        commitCopy(state, action.inst, layer?.created ?? ctx.created);
        key = res.key;
      } else {
        const k = stepKey(key, 'workdir', { path: action.path, user: action.user });
        const hit = await lookup(k);
        if (hit !== undefined) {
          layer = hit ?? undefined;
          cached = true;
        } else {
          layer = await executeWorkdir(ctx, layers, action.path, action.user);
          await save(k, layers, layer);
        }
        commitWorkdir(state, action.path, layer !== undefined, layer?.created ?? ctx.created);
        key = k;
      }
      if (layer !== undefined) layers.push(layer);
      else {
        // No change: BuildKit keeps the history entry and marks it as making no layer.
        const h = state.image.history?.at(-1);
        if (h) h.empty_layer = true;
      }
      ctx.events(cached ? { type: 'step-cached', id } : { type: 'step-done', id, ms: Date.now() - t0 });
    } catch (e) {
      ctx.events({
        type: 'step-error',
        id,
        ms: Date.now() - t0,
        message: e instanceof Error ? e.message : String(e),
      });
      // A failing step points at every line of its instruction (as BuildKit's source map does).
      const ranges = nodeLocation({ startLine: inst.range.start.line, endLine: inst.range.end.line });
      if (e instanceof StepError) {
        throw new StepError(e.code, e.message, {
          ranges,
          exitCode: e.exitCode,
          outputTail: e.outputTail,
          hint: e.hint,
          cause: e.cause,
        });
      }
      if (e instanceof GantryError && !(e instanceof DockerfileError)) {
        throw new StepError(e.code, e.message, { ranges, hint: e.hint, cause: e.cause });
      }
      throw e;
    }
  }
  return {
    index: p.index,
    label: p.stage.name ?? `stage-${p.index}`,
    state,
    layers,
    key,
    onbuild: state.config.OnBuild ?? [],
  };
}
