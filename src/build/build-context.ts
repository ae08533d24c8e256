import type { Lex } from '../dockerfile/shell/index.ts';
import type { HashCache } from '../exec/copy/types.ts';
import type { Platform } from '../oci/types.ts';
import type { EnvList } from '../plan/env-list.ts';
import type { StagePlan } from '../plan/plan-stages.ts';
import type { Store } from '../store/types.ts';
import type { BuildEventSink } from './events.ts';
import type { RootfsAccess } from './rootfs.ts';
import type { BuildOptions, ResolvedImage } from './types.ts';

/** Everything a stage needs while it runs; one per build. */
export interface BuildContext {
  opts: BuildOptions;
  store: Store;
  plan: StagePlan;
  lex: Lex;
  globalArgs: EnvList;
  targetPlatform: Platform;
  rootfs: RootfsAccess;
  events: BuildEventSink;
  /** Next BuildKit-style step number (#1, #2, ...). */
  nextStepId(): number;
  /** Resolves an image once per build (FROM and COPY --from share it). */
  image(ref: string): Promise<ResolvedImage>;
  /** Whether the cache may be used for steps of this stage. */
  cacheEnabled(stageName: string): boolean;
  /** Matcher for the build context (.dockerignore). */
  contextIgnore: ((relPath: string, isDir: boolean) => boolean) | undefined;
  contextIgnoreMayIncludeBelow: ((relDir: string) => boolean) | undefined;
  hashCache: HashCache | undefined;
  /** RFC 3339 time from SOURCE_DATE_EPOCH, for history and layers; undefined without it. */
  created: string | undefined;
  signal: AbortSignal;
}
