import { chmod, lstat, utimes, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { newPatternMatcher } from '../../dockerfile/ignore/pattern-matcher.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { resolveInRoot } from '../resolve-in-root.ts';
import { contentKey } from './content-key.ts';
import { type CopyTreeOptions, copyTree, type SourceItem } from './copy-tree.ts';
import { confine, destPathFor, relOf } from './dest-path.ts';
import { DestTree } from './dest-tree.ts';
import { defaultFetch, downloadUrl, isGitUrl, isHttpSource, redactUrl } from './fetch-url.ts';
import { containsWildcards } from './go-match.ts';
import { isArchive } from './open-archive.ts';
import { createdDirMode, parseChmod } from './parse-chmod.ts';
import { resolveChown } from './resolve-chown.ts';
import { resolveSources, sourceNotFound } from './resolve-sources.ts';
import { type TempFiles, tempFiles } from './temp-files.ts';
import type { CopyPlan, CopyRequest, CopySource } from './types.ts';
import { unpackArchive } from './unpack-archive.ts';

function usage(code: string, message: string, hint: string): GantryError {
  return new GantryError(code, message, { hint });
}

function checkRequest(req: CopyRequest): void {
  const cmd = req.isAdd === true ? 'ADD' : 'COPY';
  if (req.checksum) {
    if (req.isAdd !== true)
      throw usage(
        'E_COPY_CHECKSUM',
        "checksum can't be specified for COPY",
        'Use ADD --checksum with a URL.',
      );
    if (req.sources.length !== 1) {
      throw usage(
        'E_COPY_CHECKSUM',
        "checksum can't be specified for multiple sources",
        'Use one ADD per checksummed URL.',
      );
    }
    if (!isHttpSource(req.sources[0] as string)) {
      throw usage(
        'E_COPY_CHECKSUM',
        'checksum requires HTTP(S) or Git sources',
        'Use --checksum only with an http(s) URL.',
      );
    }
  }
  for (const src of req.sources) {
    if (!isHttpSource(src)) continue;
    if (req.isAdd !== true) {
      throw usage(
        'E_COPY_URL_IN_COPY',
        `source can't be a URL for COPY: ${redactUrl(src)}`,
        'Use ADD to download a URL.',
      );
    }
    if (isGitUrl(src)) {
      throw usage(
        'E_ADD_GIT_UNSUPPORTED',
        `${cmd} of a Git repository is not supported: ${redactUrl(src)}`,
        'Clone the repository in a RUN step, or add it to the build context.',
      );
    }
  }
}

interface Ctx {
  req: CopyRequest;
  tree: DestTree;
  base: Omit<CopyTreeOptions, 'source' | 'copyDirContents'>;
  temp: TempFiles;
  now: number;
  warnings: string[];
}

/** BuildKit's Copy: a dest ending in '/' is created first; else only its parent is. */
async function ensureDest(ctx: Ctx, destRel: string, isDirSyntax: boolean): Promise<void> {
  const parent = posix.dirname(destRel);
  await ctx.tree.mkdirAll(isDirSyntax ? destRel : parent === '.' ? '' : parent);
}

/** A single host file copied as one source (a download, a heredoc). */
async function copyLooseFile(
  ctx: Ctx,
  file: string,
  name: string,
  destRel: string,
  isDirSyntax: boolean,
): Promise<void> {
  await ensureDest(ctx, destRel, isDirSyntax);
  const source: CopySource = { root: dirname(file), kind: 'context' };
  await copyTree({ ...ctx.base, source, copyDirContents: false }, { rel: basename(file), name }, destRel);
}

async function copyLocal(ctx: Ctx, src: string, destRel: string, isDirSyntax: boolean): Promise<void> {
  const { req } = ctx;
  const opts: CopyTreeOptions = { ...ctx.base, source: req.source, copyDirContents: true };
  let items: SourceItem[];
  let required: string | undefined;
  const copied: string[] = [];
  if (req.parents === true) {
    const cut = src.indexOf('/./');
    const parent = cut === -1 ? '/' : src.slice(0, cut);
    const pattern = relOf(confine(cut === -1 ? src : src.slice(cut + 3)));
    if (!containsWildcards(parent) && !containsWildcards(pattern))
      required = confine(posix.join(parent, pattern));
    items = await resolveSources(req.source, parent);
    opts.include = newPatternMatcher([pattern]);
    opts.copied = copied;
  } else {
    items = await resolveSources(req.source, src);
  }
  if (items.length === 0) ctx.warnings.push(`${src}: the wildcard matched no files; nothing copied for it`);
  const unpack = req.unpack ?? req.isAdd === true;
  for (const item of items) {
    await ensureDest(ctx, destRel, isDirSyntax);
    const host = item.rel === '' ? req.source.root : join(req.source.root, item.rel);
    if (unpack && (await lstat(host)).isFile() && (await isArchive(host))) {
      await unpackArchive({
        tree: ctx.tree,
        archive: host,
        destRel,
        owner: ctx.base.owner,
        temp: ctx.temp,
        now: ctx.now,
        warnings: ctx.warnings,
      });
      continue;
    }
    await copyTree(opts, item, destRel);
  }
  if (required !== undefined && !copied.some((rel) => `/${rel}`.startsWith(required))) {
    throw sourceNotFound(req.source, required);
  }
}

/**
 * Plans a COPY or ADD as the entries of a new layer, following BuildKit's rules (see
 * docs/errors/copy.md and the tests beside this file), and computes the step's content key.
 * Reads the source root and the destination rootfs; writes only to a temp directory
 * (downloads, unpacked archive members), which `cleanup` removes.
 */
export async function planCopy(req: CopyRequest): Promise<CopyPlan> {
  checkRequest(req);
  const chmodSpec = parseChmod(req.chmod);
  // BuildKit builds a --link copy on scratch only without --chmod; with it, a plain copy runs.
  const link = req.link === true && chmodSpec === undefined;
  const destRoot = link ? undefined : req.destRoot;
  const owner = await resolveChown(req.chown, req.destRoot, link);
  const now = req.sourceDateEpoch ?? Math.floor(Date.now() / 1000);
  const dest = destPathFor(req.dest, req.workdir);
  const destRel = relOf(
    destRoot === undefined ? dest.path : (await resolveInRoot(destRoot, dest.path)).containerPath,
  );
  const tree = new DestTree(destRoot, {
    mode: createdDirMode(chmodSpec),
    uid: owner?.uid ?? 0,
    gid: owner?.gid ?? 0,
    mtime: now,
  });
  const temp = tempFiles(req.tmpDir);
  const warnings: string[] = [];
  const exclude =
    req.exclude !== undefined && req.exclude.length > 0 ? newPatternMatcher(req.exclude) : undefined;
  const ctx: Ctx = {
    req,
    tree,
    base: { tree, owner, chmod: chmodSpec, ...(exclude === undefined ? {} : { exclude }) },
    temp,
    now,
    warnings,
  };
  try {
    const count = req.sources.length + (req.heredocs?.length ?? 0);
    if (count > 1 && !dest.isDirSyntax && (await tree.kind(destRel)) !== 'dir') {
      throw new GantryError(
        'E_COPY_DEST_NOT_DIR',
        `When using ${req.isAdd === true ? 'ADD' : 'COPY'} with more than one source file, the destination must be a directory and end with a /`,
        { hint: `Add a trailing slash to the destination: ${req.dest}/` },
      );
    }
    for (const src of req.sources) {
      if (isHttpSource(src)) {
        const got = await downloadUrl(src, {
          fetchUrl: req.fetchUrl ?? defaultFetch,
          temp,
          now,
          ...(req.checksum ? { checksum: req.checksum } : {}),
        });
        if (req.unpack === true && (await isArchive(got.path))) {
          await ensureDest(ctx, destRel, dest.isDirSyntax);
          await unpackArchive({ tree, archive: got.path, destRel, owner, temp, now, warnings });
        } else await copyLooseFile(ctx, got.path, got.name, destRel, dest.isDirSyntax);
        continue;
      }
      await copyLocal(ctx, src, destRel, dest.isDirSyntax);
    }
    for (const h of req.heredocs ?? []) {
      const name = posix.basename(h.path) || 'heredoc';
      const file = await temp.next(name);
      await writeFile(file, h.data);
      await chmod(file, h.mode ?? 0o644);
      await utimes(file, now, now);
      await copyLooseFile(ctx, file, name, destRel, dest.isDirSyntax);
    }
    const entries = await tree.entries();
    const key = req.skipContentKey === true ? '' : await contentKey(entries, req.hashCache);
    return { entries, contentKey: key, warnings, cleanup: temp.cleanup };
  } catch (e) {
    await temp.cleanup();
    throw e;
  }
}
