import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { join, posix } from 'node:path';
import { GantryError } from '../../errors/gantry-error.ts';
import { compareNames } from '../../image/layer-entry.ts';
import { resolveInRoot } from '../resolve-in-root.ts';
import type { SourceItem } from './copy-tree.ts';
import { confine, relOf } from './dest-path.ts';
import { compileGoPattern, containsWildcards, splitWildcards } from './go-match.ts';
import { isIgnored } from './ignored.ts';
import type { CopySource } from './types.ts';

export function sourceNotFound(source: CopySource, path: string): GantryError {
  const where = source.kind === 'context' ? 'the build context' : 'the source stage or image';
  return new GantryError('E_COPY_SOURCE_NOT_FOUND', `${JSON.stringify(path)}: not found in ${where}`, {
    hint:
      source.kind === 'context'
        ? 'Check the path is relative to the build context and not excluded by .dockerignore.'
        : 'Check the path exists in the stage or image named by --from.',
  });
}

async function lstatOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return lstatSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
}

/** Resolves `p` inside the source root as if chrooted there, following symlinks (also a final one). */
async function follow(source: CopySource, p: string): Promise<string> {
  return relOf((await resolveInRoot(source.root, p)).containerPath);
}

/**
 * The sources one COPY/ADD argument names, as BuildKit resolves them: the path is confined to
 * the root ('..' and a leading '/' cannot leave it), symlinks on the way and a final symlink are
 * followed inside the root, and a wildcard is matched per segment (Go path.Match) below the part
 * before it, in byte order, not descending into matched directories or through symlinks.
 * A missing plain path is an error; a wildcard may match nothing (BuildKit allows an empty
 * wildcard) and then the result is empty.
 */
export async function resolveSources(source: CopySource, src: string): Promise<SourceItem[]> {
  const p = confine(src);
  if (!containsWildcards(p)) {
    const rel = await follow(source, p);
    const st = await lstatOrUndefined(rel === '' ? source.root : join(source.root, rel));
    if (st === undefined || isIgnored(source, rel, st.isDirectory())) throw sourceNotFound(source, p);
    return [{ rel, name: posix.basename(p) || '/' }];
  }
  const [prefix, pattern] = splitWildcards(p);
  const re = compileGoPattern(pattern);
  const depth = pattern.split('/').length;
  const baseRel = await follow(source, prefix);
  const baseAbs = baseRel === '' ? source.root : join(source.root, baseRel);
  const baseSt = await lstatOrUndefined(baseAbs);
  if (baseSt === undefined || !baseSt.isDirectory()) return [];
  const out: SourceItem[] = [];
  async function walk(dirRel: string, dirDepth: number): Promise<void> {
    const dirAbs = dirRel === '' ? baseAbs : join(baseAbs, dirRel);
    const names = readdirSync(dirAbs).sort(compareNames);
    for (const name of names) {
      const rel = dirRel === '' ? name : `${dirRel}/${name}`;
      const st = lstatSync(join(dirAbs, name));
      const fullRel = baseRel === '' ? rel : `${baseRel}/${rel}`;
      if (isIgnored(source, fullRel, st.isDirectory())) continue;
      if (re.test(rel)) {
        out.push({ rel: await follow(source, `/${fullRel}`), name });
        continue;
      }
      if (st.isDirectory() && dirDepth + 1 < depth) await walk(rel, dirDepth + 1);
    }
  }
  await walk('', 0);
  const kept: SourceItem[] = [];
  for (const item of out) {
    const st = await lstatOrUndefined(item.rel === '' ? source.root : join(source.root, item.rel));
    if (st !== undefined && !isIgnored(source, item.rel, st.isDirectory())) kept.push(item);
  }
  return kept;
}
