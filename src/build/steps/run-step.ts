import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Mount } from '../../dockerfile/instructions/index.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { StepError } from '../../errors/step-error.ts';
import { checkRunSupport } from '../../exec/check-run-support.ts';
import { registerCleanup } from '../../exec/cleanup.ts';
import { mountsUnder } from '../../exec/mounts-under.ts';
import { runStep } from '../../exec/run-step.ts';
import type { StepMount } from '../../exec/step-mounts.ts';
import type { StepAction } from '../../plan/dispatch.ts';
import type { SourceRef } from '../../plan/plan-stages.ts';
import type { BuildContext } from '../build-context.ts';
import type { BuiltLayer, StageResult } from '../types.ts';
import { commitUpperDir } from './commit-upper.ts';

type RunAction = Extract<StepAction, { kind: 'run' }>;

export interface RunStepInput {
  ctx: BuildContext;
  action: RunAction;
  layers: readonly BuiltLayer[];
  /** Sources of `--mount from=` for this instruction, in mount order (stage results or images). */
  mountSources: (SourceRef | undefined)[];
  stageResults: ReadonlyMap<number, StageResult>;
  stepId: number;
}

/** Runs a RUN in a runc container on an overlay of the stage's layers; returns its layer (or none). */
export async function executeRun(input: RunStepInput): Promise<BuiltLayer | undefined> {
  const { ctx, action } = input;
  const support = checkRunSupport({ runtime: ctx.opts.runtime });
  if (!support.ok) {
    throw new StepError('E_RUN_UNSUPPORTED', `cannot RUN here: ${support.message}`, {
      ranges: [action.inst.range],
      hint: support.hint,
    });
  }
  const lowerDirs = await ctx.rootfs.lowerDirs(input.layers);
  const scratch = await ctx.store.tmpDir('run-');
  // Also removed when the CLI exits on SIGINT/SIGTERM: it runs the registered cleanups (newest
  // first, so after the step's unmounts) and exits before this function's `finally` runs.
  const unregisterScratch = registerCleanup(() => removeScratch(scratch));
  const cleanups: (() => Promise<void>)[] = [];
  // The overlay is unmounted while the layer is written; the scratch dir goes only after it.
  let unmounted: Promise<void> = Promise.resolve();
  try {
    const mounts: StepMount[] = [];
    for (const [i, m] of action.mounts.entries()) {
      mounts.push(await stepMount(ctx, m, input.mountSources[i], input.stageResults, cleanups));
    }
    if (action.script) {
      const dir = join(scratch, 'pipes');
      await mkdir(dir);
      await writeFile(join(dir, action.script.name), action.script.data, { mode: 0o755 });
      mounts.push({ type: 'bind', target: '/dev/pipes', sourceRoot: dir });
    }
    const network = action.network === 'default' ? ctx.opts.network : action.network;
    const result = await runStep({
      lowerDirs,
      scratchDir: scratch,
      process: { args: action.args, env: action.env, cwd: action.cwd, user: action.user },
      network,
      mounts,
      runtime: ctx.opts.runtime,
      onOutput: (stream, line) => ctx.events({ type: 'step-output', id: input.stepId, stream, line }),
      signal: ctx.signal,
      overlapUnmount: true,
    });
    unmounted = result.unmounted;
    if (result.exitCode !== 0) {
      throw new StepError(
        'E_RUN_FAILED',
        `process ${JSON.stringify(action.args.join(' '))} did not complete successfully: exit code: ${result.exitCode}`,
        {
          ranges: [action.inst.range],
          exitCode: result.exitCode,
          outputTail: result.outputTail,
          hint: 'the command failed inside the container; its last output lines are shown above',
        },
      );
    }
    return await commitUpperDir(ctx, input.layers, result.upperDir, result.excludes, result.unmounted);
  } finally {
    // The mount sources' views and the scratch dir go in the background (the build waits for
    // them before it ends); the scratch dir only once the overlay in it is unmounted.
    const done = unmounted;
    ctx.rootfs.inBackground(async () => {
      await done.catch(() => undefined);
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
      await removeScratch(scratch);
      unregisterScratch();
    });
  }
}

/** Deletes a step's scratch dir, unless something is still mounted below it (never recurse into a mount). */
async function removeScratch(dir: string): Promise<void> {
  if ((await mountsUnder(dir)).length > 0) return;
  await rm(dir, { recursive: true, force: true }).catch(() => undefined);
}

async function stepMount(
  ctx: BuildContext,
  m: Mount,
  source: SourceRef | undefined,
  stageResults: ReadonlyMap<number, StageResult>,
  cleanups: (() => Promise<void>)[],
): Promise<StepMount> {
  switch (m.type) {
    case 'bind': {
      let sourceRoot: string;
      if (source === undefined || source.kind === 'scratch') sourceRoot = ctx.opts.contextDir;
      else sourceRoot = await holdView(ctx, source, stageResults, cleanups);
      return { type: 'bind', target: m.target, sourceRoot, source: m.source || '/', readwrite: !m.readOnly };
    }
    case 'cache': {
      if (source !== undefined) {
        throw new GantryError(
          'E_RUN_MOUNT_UNSUPPORTED',
          'RUN --mount=type=cache with from= is not supported yet',
          { hint: 'drop from= from the cache mount' },
        );
      }
      return {
        type: 'cache',
        target: m.target,
        id: m.cacheId || m.target,
        cacheRoot: ctx.store.root,
        sharing: m.cacheSharing || 'shared',
        readonly: m.readOnly,
        ...(m.uid !== undefined ? { uid: m.uid } : {}),
        ...(m.gid !== undefined ? { gid: m.gid } : {}),
        ...(m.mode !== undefined ? { mode: m.mode } : {}),
      };
    }
    case 'tmpfs':
      return { type: 'tmpfs', target: m.target, ...(m.sizeLimit > 0 ? { size: m.sizeLimit } : {}) };
    case 'secret': {
      const id = m.cacheId || m.target.split('/').pop() || '';
      const spec = ctx.opts.secrets.find((s) => s.id === id);
      return {
        type: 'secret',
        id,
        ...(m.target ? { target: m.target } : {}),
        ...(m.env !== undefined ? { env: m.env || id } : {}),
        ...(spec !== undefined ? { data: spec.data } : {}),
        required: m.required,
        ...(m.mode !== undefined ? { mode: m.mode } : {}),
        ...(m.uid !== undefined ? { uid: m.uid } : {}),
        ...(m.gid !== undefined ? { gid: m.gid } : {}),
      };
    }
    case 'ssh':
      throw new GantryError('E_RUN_MOUNT_UNSUPPORTED', 'RUN --mount=type=ssh is not supported yet', {
        hint: 'use a secret mount for keys, or fetch inside the build',
      });
    default: {
      const never: never = m.type;
      throw new Error(`unhandled mount type ${String(never)}`);
    }
  }
}

/** Keeps a stage's or image's rootfs mounted until the step ends. */
async function holdView(
  ctx: BuildContext,
  source: Exclude<SourceRef, { kind: 'scratch' }>,
  stageResults: ReadonlyMap<number, StageResult>,
  cleanups: (() => Promise<void>)[],
): Promise<string> {
  const layers =
    source.kind === 'stage'
      ? (stageResults.get(source.index)?.layers ?? [])
      : (await ctx.image(source.ref)).layers;
  let release!: () => void;
  const released = new Promise<void>((r) => {
    release = r;
  });
  let ready!: (dir: string) => void;
  const dirP = new Promise<string>((r) => {
    ready = r;
  });
  const done = ctx.rootfs.withView(layers, async (dir) => {
    if (dir === undefined) {
      const empty = await ctx.store.tmpDir('empty-');
      ready(empty);
      await released;
      await rm(empty, { recursive: true, force: true });
      return;
    }
    ready(dir);
    await released;
  });
  cleanups.push(async () => {
    release();
    await done;
  });
  // If the view fails before it is ready, surface that error instead of waiting forever.
  return Promise.race([dirP, done.then(() => Promise.reject(new Error('rootfs view closed before use')))]);
}
