import { lstatSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DockerfileError } from '../../errors/dockerfile-error.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { destPathFor } from '../../exec/copy/dest-path.ts';
import { planCopy } from '../../exec/copy/index.ts';
import { treeFingerprint } from '../../exec/copy/tree-fingerprint.ts';
import type { CopySource, WalkMemo } from '../../exec/copy/types.ts';
import type { LayerEntry } from '../../image/layer-entry.ts';
import type { StepAction } from '../../plan/dispatch.ts';
import type { SourceRef } from '../../plan/plan-stages.ts';
import type { BuildContext } from '../build-context.ts';
import { stepKey } from '../cache-key.ts';
import type { BuiltLayer, StageResult } from '../types.ts';
import { writeEntries } from './commit-upper.ts';

type CopyAction = Extract<StepAction, { kind: 'copy' }>;

export interface CopyStepInput {
  ctx: BuildContext;
  action: CopyAction;
  layers: readonly BuiltLayer[];
  parentKey: string;
  /** `COPY --from` source; undefined = the build context. */
  from: SourceRef | undefined;
  stageResults: ReadonlyMap<number, StageResult>;
  /** Looks a finished step up by its cache key (undefined: miss or cache disabled). */
  lookup: (key: string) => Promise<BuiltLayer | null | undefined>;
}

export interface CopyStepResult {
  key: string;
  layer: BuiltLayer | undefined;
  cached: boolean;
}

/**
 * COPY/ADD. The cache key covers the expanded instruction and exactly the copied content: for
 * the context, the content key of the selected files (so an unrelated change is still a hit);
 * for another stage or an image, that source's own key or digest.
 */
export async function executeCopy(input: CopyStepInput): Promise<CopyStepResult> {
  const { ctx, action } = input;
  const inst = action.inst;
  const fields = {
    kind: inst.kind,
    sources: inst.sources,
    heredocs: inst.heredocSources,
    dest: action.dest,
    workdir: action.workdir,
    chown: inst.chown,
    chmod: inst.chmod,
    link: inst.link,
    exclude: inst.exclude,
    parents: inst.kind === 'copy' ? inst.parents : false,
    checksum: inst.kind === 'add' ? inst.checksum : '',
    unpack: inst.kind === 'add' ? (inst.unpack ?? null) : null,
  };

  // The probe's walk of the context is reused by the plan that follows it.
  const walkMemo: WalkMemo = { lstat: new Map(), names: new Map() };
  const withSource = async <T>(fn: (src: CopySource) => Promise<T>): Promise<T> => {
    const from = input.from;
    if (from === undefined) {
      return fn({
        root: ctx.opts.contextDir,
        kind: 'context',
        walkMemo,
        ...(ctx.contextIgnore ? { ignore: ctx.contextIgnore } : {}),
        ...(ctx.contextIgnoreMayIncludeBelow
          ? { ignoreMayIncludeBelow: ctx.contextIgnoreMayIncludeBelow }
          : {}),
      });
    }
    if (from.kind === 'scratch') throw new Error('COPY --from=scratch is resolved as an image');
    const layers =
      from.kind === 'stage'
        ? (input.stageResults.get(from.index)?.layers ?? [])
        : (await ctx.image(from.ref)).layers;
    return ctx.rootfs.withView(layers, async (dir) => {
      if (dir === undefined) {
        const empty = await ctx.store.tmpDir('empty-');
        try {
          return await fn({ root: empty, kind: 'rootfs' });
        } finally {
          await rm(empty, { recursive: true, force: true });
        }
      }
      return fn({ root: dir, kind: 'rootfs' });
    });
  };

  // With --from, the source's identity decides the content: no need to read it for the key.
  let fromIdentity: string | undefined;
  if (input.from?.kind === 'stage')
    fromIdentity = `stage:${input.stageResults.get(input.from.index)?.key ?? ''}`;
  else if (input.from?.kind === 'image')
    fromIdentity = `image:${(await ctx.image(input.from.ref)).manifest.digest}`;
  const urls = inst.sources.some((s) => /^https?:\/\//.test(s));
  let fastKey: string | undefined;
  if (fromIdentity !== undefined && !urls) {
    fastKey = stepKey(input.parentKey, 'copy', { ...fields, from: fromIdentity });
    const hit = await input.lookup(fastKey);
    if (hit !== undefined) return { key: fastKey, layer: hit ?? undefined, cached: true };
  }

  const makePlan = async (
    source: CopySource,
    destRoot: string | undefined,
    probe: boolean,
    tmp: string,
    skipContentKey = false,
  ) => {
    try {
      return await planCopy({
        source,
        sources: inst.sources,
        heredocs: inst.heredocSources.map((h) => ({ path: h.path, data: h.data })),
        dest: action.dest,
        workdir: action.workdir,
        destRoot,
        // A probe only computes the content key: owners are decided by the (keyed) parent layers.
        chown: probe ? undefined : inst.chown || undefined,
        chmod: inst.chmod || undefined,
        link: inst.link,
        parents: inst.kind === 'copy' ? inst.parents : false,
        exclude: inst.exclude,
        isAdd: inst.kind === 'add',
        ...(inst.kind === 'add'
          ? { checksum: inst.checksum || undefined, unpack: inst.unpack, keepGitDir: inst.keepGitDir }
          : {}),
        ...(ctx.opts.sourceDateEpoch !== undefined ? { sourceDateEpoch: ctx.opts.sourceDateEpoch } : {}),
        ...(ctx.hashCache ? { hashCache: ctx.hashCache } : {}),
        skipContentKey,
        tmpDir: tmp,
      });
    } catch (e) {
      if (e instanceof GantryError && !(e instanceof DockerfileError)) {
        throw new DockerfileError(e.code, e.message, [inst.range], { hint: e.hint, cause: e.cause });
      }
      throw e;
    }
  };

  /** Whether the destination's first path component is absent from `destRoot`. */
  const destIsNew = (destRoot: string | undefined): boolean => {
    const first = destPathFor(action.dest, action.workdir).path.split('/')[1] ?? '';
    if (first === '') return false;
    return (
      destRoot === undefined || lstatSync(join(destRoot, first), { throwIfNoEntry: false }) === undefined
    );
  };

  // COPY from the context onto existing layers: the key needs only the source files (the
  // destination's state is fixed by the parent key), so look the cache up before mounting the
  // stage's root filesystem. A probe that fails (its answer may depend on the destination) just
  // falls through to the full plan.
  let probeKey: string | undefined;
  /** The probe's entries, when they reference only context files (no temp files to keep). */
  let probeEntries: LayerEntry[] | undefined;
  if (input.from === undefined && inst.kind === 'copy' && input.layers.length > 0) {
    // Cheaper still for plain paths: when the tree's stat fingerprint is one seen before, its
    // content key is known without planning anything.
    const fingerprint =
      inst.parents || inst.exclude.length > 0 || inst.heredocSources.length > 0 || ctx.hashCache === undefined
        ? undefined
        : await withSource(async (source) =>
            treeFingerprint({
              source,
              sources: inst.sources,
              salt: JSON.stringify([action.dest, action.workdir, inst.chmod, inst.link]),
            }),
          ).catch(() => undefined); // an unreadable path: the plan reports it properly
    const known = fingerprint === undefined ? undefined : ctx.hashCache?.getTree?.(fingerprint);
    if (known !== undefined) {
      probeKey = stepKey(input.parentKey, 'copy', { ...fields, from: 'context', content: known });
      const hit = await input.lookup(probeKey);
      if (hit !== undefined) return { key: probeKey, layer: hit ?? undefined, cached: true };
    }
    const tmp = await ctx.store.tmpDir('copy-');
    try {
      probeKey = await withSource(async (source) => {
        const plan = await makePlan(source, undefined, true, tmp);
        try {
          if (fingerprint !== undefined) ctx.hashCache?.setTree?.(fingerprint, plan.contentKey);
          if (inst.heredocSources.length === 0) probeEntries = plan.entries;
          return stepKey(input.parentKey, 'copy', { ...fields, from: 'context', content: plan.contentKey });
        } finally {
          await plan.cleanup();
        }
      });
    } catch {
      probeKey = undefined;
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
    if (probeKey !== undefined) {
      const hit = await input.lookup(probeKey);
      if (hit !== undefined) return { key: probeKey, layer: hit ?? undefined, cached: true };
    }
  }

  return ctx.rootfs.withView(input.layers, (destRoot) =>
    withSource(async (source) => {
      // Into a top-level directory the destination does not have, without --chown, the plan
      // against the destination would be the probe's plan: write that.
      if (probeKey !== undefined && probeEntries !== undefined && !inst.chown && destIsNew(destRoot)) {
        return { key: probeKey, layer: await writeEntries(ctx, probeEntries), cached: false };
      }
      const tmp = await ctx.store.tmpDir('copy-');
      let plan: Awaited<ReturnType<typeof planCopy>>;
      try {
        plan = await makePlan(source, destRoot, false, tmp, (probeKey ?? fastKey) !== undefined);
      } catch (e) {
        await rm(tmp, { recursive: true, force: true });
        throw e;
      }
      try {
        // Saved under the key the next build looks up first (without mounting anything).
        const key =
          probeKey ??
          fastKey ??
          stepKey(input.parentKey, 'copy', {
            ...fields,
            from: fromIdentity ?? 'context',
            content: plan.contentKey,
          });
        const hit = await input.lookup(key);
        if (hit !== undefined) return { key, layer: hit ?? undefined, cached: true };
        const layer = await writeEntries(ctx, plan.entries);
        return { key, layer, cached: false };
      } finally {
        await plan.cleanup();
        await rm(tmp, { recursive: true, force: true });
      }
    }),
  );
}
