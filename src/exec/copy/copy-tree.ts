import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { MatchInfo, PatternMatcher } from '../../dockerfile/ignore/pattern-matcher.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { splitRdev } from '../../image/entries-from-directory.ts';
import type { LayerEntry } from '../../image/layer-entry.ts';
import type { DestTree } from './dest-tree.ts';
import { walkVerdict } from './ignored.ts';
import { type ChmodSpec, chmodApply } from './parse-chmod.ts';
import type { CopySource, Owner } from './types.ts';
import { WalkStat, walkLstat, walkNames } from './walk-stat.ts';

/** The stat fields an entry's metadata comes from. */
type StatFields = Pick<WalkStat, 'mode' | 'uid' | 'gid' | 'mtimeMs'>;

const NO_INFO: MatchInfo = { parentMatched: [] };

/** Settings of one COPY/ADD source, shared by every entry it copies. */
export interface CopyTreeOptions {
  tree: DestTree;
  source: CopySource;
  owner: Owner | undefined;
  chmod: ChmodSpec | undefined;
  /** `--parents`: only paths matching these (and their parents) are copied. */
  include?: PatternMatcher;
  /** `--exclude`. */
  exclude?: PatternMatcher;
  /** A directory source copies its contents (always, for Dockerfile sources). */
  copyDirContents: boolean;
  /** Source paths (root-relative) of everything copied, for `--parents` required paths. */
  copied?: string[];
}

/** One resolved source: `rel` is its real path in the source root ('' = the root). */
export interface SourceItem {
  rel: string;
  /** The name the user wrote (before a final symlink was followed): the name in the destination. */
  name: string;
}

interface PendingDir {
  srcRel: string;
  target: string;
  copied: boolean;
}

function notDir(target: string): GantryError {
  return new GantryError('E_COPY_NOT_DIR', `cannot copy to non-directory: /${target}`, {
    hint: 'A directory is copied onto a file or symlink of the same name in the destination; copy it elsewhere or remove that path first.',
  });
}

/**
 * Plans copying one source into the destination with BuildKit's (fsutil copy) rules, recording
 * layer entries in `opts.tree`. `destRel` is the destination, relative and already resolved.
 */
export async function copyTree(opts: CopyTreeOptions, item: SourceItem, destRel: string): Promise<void> {
  const { tree, source } = opts;
  const host = (rel: string): string => (rel === '' ? source.root : join(source.root, rel));
  const memo = source.walkMemo;
  // Missing paths throw lstat's own error (ENOENT), as before any memo existed.
  const lstatOf = (abs: string): WalkStat => walkLstat(abs, memo) ?? new WalkStat(lstatSync(abs));
  const namesOf = (abs: string): string[] => walkNames(abs, memo);
  const inodes = new Map<string, string>();
  const pending: PendingDir[] = [];

  function meta(st: StatFields, rel: string, kind: 'dir' | 'symlink' | 'other'): Omit<LayerEntry, 'type'> {
    const keepOwner = source.kind === 'rootfs';
    return {
      path: rel,
      mode: kind === 'symlink' ? st.mode & 0o7777 : chmodApply(opts.chmod, st.mode, kind === 'dir'),
      uid: opts.owner?.uid ?? (keepOwner ? st.uid : 0),
      gid: opts.owner?.gid ?? (keepOwner ? st.gid : 0),
      mtime: Math.floor(st.mtimeMs / 1000),
      size: 0,
    };
  }

  function createParentDirs(overwrite: boolean): void {
    for (const p of pending) {
      if (p.copied) continue;
      const st = statSync(host(p.srcRel));
      const k = tree.kind(p.target);
      if (k === 'other') throw notDir(p.target);
      if (k === undefined) tree.set({ ...meta(st, p.target, 'dir'), type: 'dir' });
      else if (overwrite) tree.set({ ...tree.currentDir(p.target), mode: st.mode & 0o7777 });
      p.copied = true;
      opts.copied?.push(p.srcRel);
    }
  }

  function copyNode(
    srcRel: string,
    components: string,
    target: string,
    overwrite: boolean,
    incInfo: MatchInfo,
    excInfo: MatchInfo,
  ): void {
    let include = true;
    let excluded = false;
    let childInc = NO_INFO;
    let childExc = NO_INFO;
    if (components !== '') {
      if (opts.include !== undefined) {
        const r = opts.include.matchesUsingParentResults(components, incInfo);
        include = r.matched;
        childInc = r.info;
      }
      if (opts.exclude !== undefined) {
        const r = opts.exclude.matchesUsingParentResults(components, excInfo);
        childExc = r.info;
        if (r.matched) {
          include = false;
          excluded = true;
        }
      }
      if (!include && opts.include === undefined && !(opts.exclude?.exclusions() ?? false)) return;
    }
    const st = lstatOf(host(srcRel));
    const isDir = st.isDirectory();
    const verdict = walkVerdict(source, srcRel, isDir);
    if (verdict === 'skip') return;
    if (verdict === 'descend') include = false;
    if (!include && !isDir) return;
    if (
      isDir &&
      !include &&
      opts.include !== undefined &&
      !opts.include.patterns.some(
        (p) => !p.exclusion && (p.match(components) || p.couldMatchBelow(components)),
      )
    ) {
      return;
    }
    const targetKind = tree.kind(target);
    if (include) createParentDirs(overwrite);

    if (!isDir) {
      if (targetKind === 'dir') {
        throw new GantryError('E_COPY_DIR_CONFLICT', `cannot replace to directory /${target} with file`, {
          hint: 'The destination already has a directory of that name; copy the file to another path.',
        });
      }
      planLeaf(srcRel, target, st);
      opts.copied?.push(srcRel);
      return;
    }

    if (include) {
      if (targetKind === undefined) tree.set({ ...meta(st, target, 'dir'), type: 'dir' });
      else if (targetKind !== 'dir') throw notDir(target);
      else if (overwrite) tree.set({ ...meta(st, target, 'dir'), type: 'dir' });
      else tree.set({ ...tree.currentDir(target), mtime: Math.floor(st.mtimeMs / 1000) });
      opts.copied?.push(srcRel);
    }
    pending.push({ srcRel, target, copied: include });
    try {
      if (excluded && !(opts.exclude?.exclusions() ?? false)) return;
      const names = namesOf(host(srcRel));
      for (const name of names) {
        copyNode(
          srcRel === '' ? name : `${srcRel}/${name}`,
          components === '' ? name : `${components}/${name}`,
          target === '' ? name : `${target}/${name}`,
          true,
          childInc,
          childExc,
        );
      }
    } finally {
      pending.pop();
    }
  }

  function planLeaf(srcRel: string, target: string, st: WalkStat): void {
    const abs = host(srcRel);
    if (st.isSymbolicLink()) {
      tree.set({ ...meta(st, target, 'symlink'), type: 'symlink', linkname: readlinkSync(abs) });
      return;
    }
    const base = meta(st, target, 'other');
    if (st.isFile()) {
      if (st.nlink > 1) {
        const key = `${st.dev}:${st.ino}`;
        const first = inodes.get(key);
        if (first !== undefined && tree.get(first)?.type === 'file') {
          tree.set({ ...base, type: 'hardlink', linkname: first });
          return;
        }
        inodes.set(key, target);
      }
      tree.set({
        ...base,
        type: 'file',
        size: st.size,
        source: abs,
        sourceStat: { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs },
      });
    } else if (st.isFIFO()) tree.set({ ...base, type: 'fifo' });
    else if (st.isCharacterDevice() || st.isBlockDevice()) {
      const { major, minor } = splitRdev(BigInt(st.rdev));
      tree.set({
        ...base,
        type: st.isCharacterDevice() ? 'char' : 'block',
        devmajor: major,
        devminor: minor,
      });
    } else {
      // A socket becomes an empty regular file, as in BuildKit.
      tree.set({ ...base, type: 'file', size: 0, content: Buffer.alloc(0) });
    }
  }

  // prepareTargetDir
  const st = lstatSync(host(item.rel));
  const srcIsDir = st.isDirectory();
  let destPath = destRel;
  const destKind = tree.kind(destPath);
  if ((!opts.copyDirContents && srcIsDir && destKind !== undefined) || (!srcIsDir && destKind === 'dir')) {
    destPath = destPath === '' ? item.name : `${destPath}/${item.name}`;
  }
  let targetDir = posix.dirname(destPath);
  if (targetDir === '.') targetDir = '';
  if (opts.copyDirContents && srcIsDir && destKind === undefined) targetDir = destPath;
  tree.mkdirAll(targetDir);
  copyNode(item.rel, '', destPath, false, NO_INFO, NO_INFO);
}
