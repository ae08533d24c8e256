import type { LayerEntry } from '../../image/layer-entry.ts';
import type { WalkStat } from './walk-stat.ts';

/** Where COPY/ADD sources are read from. */
export interface CopySource {
  /** A directory: the build context, or a mounted/merged stage or image rootfs. */
  root: string;
  /** 'context' resets ownership to 0:0 (as BuildKit's context transfer does); 'rootfs' keeps it. */
  kind: 'context' | 'rootfs';
  /** `.dockerignore` for the context: an ignored path is treated as absent. */
  ignore?: (relPath: string, isDir: boolean) => boolean;
  /**
   * For an ignored directory: whether a `!` exception could re-include something below it (then
   * the walk descends). Without it, an ignored directory is skipped whole.
   */
  ignoreMayIncludeBelow?: (relDir: string) => boolean;
  /**
   * Shared by the walks of one step (the cache probe, then the plan against the destination),
   * so the second walk reads no directory and stats no file again.
   */
  walkMemo?: WalkMemo;
}

/** lstat results and sorted directory listings by absolute path. */
export interface WalkMemo {
  lstat: Map<string, WalkStat>;
  names: Map<string, string[]>;
}

/** What identifies one version of a file for the hash cache (no re-read while unchanged). */
export interface FileStatKey {
  ino: number;
  size: number;
  mtimeMs: number;
}

/** Remembers content digests of files by path and stat, so a no-op rebuild only stats. */
export interface HashCache {
  get(path: string, key: FileStatKey): string | undefined | Promise<string | undefined>;
  set(path: string, key: FileStatKey, digest: string): void | Promise<void>;
  /** The content key last computed for a tree with this fingerprint (see treeFingerprint). */
  getTree?(fingerprint: string): string | undefined;
  setTree?(fingerprint: string, contentKey: string): void;
}

export interface HeredocSource {
  path: string;
  data: string;
  /** Default 0o644. */
  mode?: number;
}

export interface CopyRequest {
  source: CopySource;
  /** Already expanded by the caller (ENV/ARG); may contain globs, URLs (ADD). */
  sources: string[];
  heredocs?: HeredocSource[];
  /** Already expanded. */
  dest: string;
  /** The stage's WORKDIR, for a relative dest. */
  workdir: string;
  /** The stage's current rootfs (existing dirs, /etc/passwd, /etc/group); undefined for scratch. */
  destRoot: string | undefined;
  chown?: string;
  chmod?: string;
  link?: boolean;
  parents?: boolean;
  exclude?: string[];
  isAdd?: boolean;
  checksum?: string;
  /** ADD --unpack: undefined = default (local archives unpacked, URLs not). */
  unpack?: boolean;
  keepGitDir?: boolean;
  /** Seconds; the time given to directories and files the step creates itself. */
  sourceDateEpoch?: number;
  /** ADD of http(s) URLs; defaults to the global fetch. */
  fetchUrl?: (url: string) => Promise<Response>;
  hashCache?: HashCache;
  /** The caller has the step's key already: leave `contentKey` empty rather than hash everything again. */
  skipContentKey?: boolean;
  /** Where downloads and unpacked archive members are kept until the layer is written. */
  tmpDir?: string;
}

export interface CopyPlan {
  /** The layer's entries, parents before children, siblings in byte order. */
  entries: LayerEntry[];
  /** sha256 (hex) over paths, types, content digests, modes, link targets and owners (not mtimes). */
  contentKey: string;
  /** Things done on purpose that a user may want to know (a wildcard that matched nothing, ...). */
  warnings: string[];
  /** Removes downloads and unpacked members; call after the layer is written. */
  cleanup(): Promise<void>;
}

/** Owner given by `--chown`, resolved to ids. */
export interface Owner {
  uid: number;
  gid: number;
}
