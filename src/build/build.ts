import { lintDockerfile } from '../dockerfile/checks/index.ts';
import { parse } from '../dockerfile/parser/index.ts';
import { Lex } from '../dockerfile/shell/index.ts';
import { parseStages } from '../dockerfile/stages/index.ts';
import { DockerfileError } from '../errors/dockerfile-error.ts';
import { StepError } from '../errors/step-error.ts';
import { putImage } from '../image/put-image.ts';
import { rfc3339 } from '../oci/time.ts';
import type { Platform } from '../oci/types.ts';
import { planStages } from '../plan/plan-stages.ts';
import { formatPlatform, platformFromNode } from '../plan/platform.ts';
// Straight from the file, not the registry index: that would initialise the pull and push code.
import { parseReference } from '../registry/reference.ts';
import type { Store } from '../store/types.ts';
import type { BuildContext } from './build-context.ts';
import { contextIgnore } from './context-ignore.ts';
import type { BuildSummary } from './events.ts';
import { finalConfig } from './final-config.ts';
import { loadHashCache } from './hash-cache.ts';
import { readDockerfile } from './read-dockerfile.ts';
import { type ResolveImageOptions, resolveImage } from './resolve-image.ts';
import { RootfsAccess } from './rootfs.ts';
import { runGraph } from './scheduler.ts';
import { runStage } from './stage-runner.ts';
import type { BuildOptions, ResolvedImage, StageResult } from './types.ts';

export interface BuildDeps {
  store: Store;
  cwd: string;
  /** Registry access (credentials, insecure hosts); see registry/. */
  registry: ResolveImageOptions['registry'];
  now?: () => Date;
  isRoot?: boolean;
}

/**
 * Builds a Dockerfile into an image in the store: parse, check, plan, run the stages the target
 * needs (independent ones concurrently), write config and manifest, tag, and export.
 */
export async function build(opts: BuildOptions, deps: BuildDeps): Promise<BuildSummary> {
  const t0 = Date.now();
  const now = deps.now ?? (() => new Date());
  const input = await readDockerfile(opts.contextDir, opts.dockerfile, deps.cwd);
  const source = { name: input.displayName, text: input.text };
  const hostPlatform = platformFromNode(process.arch);
  const targetPlatform: Platform = opts.platform ?? hostPlatform;
  const lease = await deps.store.lease();
  try {
    const parsed = parse(input.text);
    const { stages, metaArgs } = parseStages(parsed);
    const lint = lintDockerfile({
      parsed,
      stages,
      metaArgs,
      buildArgs: opts.buildArgs,
      target: opts.target,
      ...(opts.checkSkip || opts.checkError ? { check: checkOption(opts.checkSkip, opts.checkError) } : {}),
      platformArgs: {
        BUILDPLATFORM: formatPlatform(hostPlatform),
        TARGETPLATFORM: formatPlatform(targetPlatform),
      },
    });
    for (const w of lint.warnings) opts.onEvent({ type: 'warning', warning: w, file: input.displayName });
    if (lint.errors.length > 0) throw lint.errors[0];
    const plan = planStages({
      stages,
      metaArgs,
      buildArgs: opts.buildArgs,
      target: opts.target,
      buildPlatform: hostPlatform,
      targetPlatform,
      escapeToken: parsed.directives.escapeToken,
    });
    for (const k of plan.unusedBuildArgs) {
      opts.onEvent({ type: 'info', message: `[Warning] One or more build-args [${k}] were not consumed` });
    }

    const ignore = contextIgnore(input.ignoreText);
    const hashes = await loadHashCache(deps.store.root, opts.contextDir);
    const images = new Map<string, Promise<ResolvedImage>>();
    const resolveOpts: ResolveImageOptions = {
      store: deps.store,
      pull: opts.pull,
      platform: targetPlatform,
      registry: deps.registry,
      onPull: (ref) => opts.onEvent({ type: 'info', message: `pulling ${ref}` }),
    };
    let stepId = 0;
    const signal = opts.signal ?? new AbortController().signal;
    const created =
      opts.sourceDateEpoch !== undefined ? rfc3339(new Date(opts.sourceDateEpoch * 1000)) : undefined;
    const ctx: BuildContext = {
      opts,
      store: deps.store,
      plan,
      lex: new Lex({ escapeToken: parsed.directives.escapeToken }),
      globalArgs: plan.globalArgs,
      targetPlatform,
      rootfs: new RootfsAccess(deps.store, deps.isRoot ?? process.geteuid?.() === 0),
      events: opts.onEvent,
      nextStepId: () => ++stepId,
      image: (ref) => {
        const key = parseReference(ref).toString();
        let p = images.get(key);
        if (p === undefined) {
          p = resolveImage(ref, resolveOpts);
          images.set(key, p);
        }
        return p;
      },
      cacheEnabled: (name) => !opts.noCacheFilter.some((f) => f.toLowerCase() === name.toLowerCase()),
      contextIgnore: ignore?.ignore,
      contextIgnoreMayIncludeBelow: ignore?.mayIncludeBelow,
      hashCache: hashes.cache,
      created,
      signal,
    };

    const reachable = plan.stages.filter((p) => p.reachable);
    let results: Map<number, StageResult>;
    try {
      results = await runGraph(
        reachable.map((p) => ({
          id: p.index,
          deps: p.deps,
          // A stage starts once its base is built; each step waits for the stages it copies from.
          startDeps: p.base.kind === 'stage' ? [p.base.index] : [],
          run: ({ signal: s, results: r, waitFor }) => runStage(p, { ...ctx, signal: s }, r, waitFor),
        })),
        // As BuildKit: every stage whose dependencies are done runs; --jobs N caps that (and then
        // a stage starts only when every stage it uses is built).
        { concurrency: opts.jobs > 0 ? opts.jobs : Number.POSITIVE_INFINITY, signal },
      );
    } catch (e) {
      await ctx.rootfs.settle().catch(() => undefined); // the build's own failure is the one to report
      throw attachSource(e, source);
    }
    await ctx.rootfs.settle();
    await hashes.save();
    const target = results.get(plan.target)!;
    // The image's time: SOURCE_DATE_EPOCH, else when its newest layer was made (kept in the
    // cache, so a fully cached rebuild gives the same image ID), else now.
    const newest =
      target.layers
        .map((l) => l.created ?? '')
        .sort()
        .at(-1) ?? '';
    const config = finalConfig(target, targetPlatform, created ?? (newest || rfc3339(now())));
    const stored = await putImage({
      blobs: deps.store.blobs,
      config,
      layers: target.layers.map((l) => l.descriptor),
    });
    const tags = opts.tags.map((t) => parseReference(t).toString());
    for (const t of tags) await deps.store.refs.set(t, stored.manifest);
    // Exporters and the registry client are loaded only when an output or a push needs them.
    const wantsOutput = opts.push || opts.outputs.some((o) => o.type !== 'image');
    const published = !wantsOutput
      ? undefined
      : await (await import('./outputs.ts')).writeOutputs({
          outputs: opts.outputs,
          store: deps.store,
          manifest: stored.manifest,
          tags,
          registry: deps.registry,
          push: opts.push,
          onEvent: opts.onEvent,
        });

    const sizes = [
      {
        stage: plan.stages.length === 1 ? 'image' : `${target.label} (image)`,
        bytes: sum(target.layers),
        layers: target.layers.length,
      },
      ...[...results.values()]
        .filter((r) => r.index !== plan.target)
        .sort((a, b) => a.index - b.index)
        .map((r) => ({ stage: r.label, bytes: sum(r.layers), layers: r.layers.length })),
    ];
    return {
      imageId: stored.config.digest,
      // The digest others see: the pushed or exported (gzip) manifest, else the stored one.
      manifestDigest: (published ?? stored.manifest).digest,
      tags: opts.tags,
      sizes,
      ms: Date.now() - t0,
    };
  } catch (e) {
    throw attachSource(e, source);
  } finally {
    await lease.release();
  }
}

function sum(layers: readonly { size: number }[]): number {
  return layers.reduce((a, l) => a + l.size, 0);
}

function checkOption(skip: string[] | undefined, error: boolean | undefined): string {
  const parts: string[] = [];
  if (skip && skip.length > 0) parts.push(`skip=${skip.join(',')}`);
  if (error) parts.push('error=true');
  return parts.join(';');
}

function attachSource(e: unknown, source: { name: string; text: string }): unknown {
  if (e instanceof DockerfileError && e.source === undefined) e.withSource(source);
  if (e instanceof StepError && e.source === undefined) e.source = source;
  return e;
}
