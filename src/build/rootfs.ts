import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mountOverlay } from '../exec/mount-overlay.ts';
import { applyLayer } from '../image/apply-layer.ts';
import { chainIds } from '../oci/chain-id.ts';
import type { Store } from '../store/types.ts';
import type { BuiltLayer } from './types.ts';

/**
 * Access to a stack of layers as a root filesystem. As root, each layer is unpacked once into a
 * snapshot keyed by its chain ID and the stack is an overlay mount; without root (no RUN is
 * possible then) the layers are applied into a temporary directory.
 */
export class RootfsAccess {
  /** Views being unmounted and removed, and other clean-up, in the background. */
  private readonly releasing = new Set<Promise<void>>();
  private releaseError: unknown;

  constructor(
    private readonly store: Store,
    readonly isRoot: boolean,
  ) {}

  /** Snapshot directories of the stack, top-most first (for overlay lowerdir). */
  async lowerDirs(layers: readonly BuiltLayer[]): Promise<string[]> {
    const ids = chainIds(layers.map((l) => l.diffId));
    const dirs: string[] = [];
    for (const [i, id] of ids.entries()) {
      const layer = layers[i]!;
      dirs.push(
        await this.store.snapshots.prepare(id, async (dir) => {
          await applyLayer(this.store.blobs.open(layer.descriptor.digest), dir, {
            isRoot: this.isRoot,
            whiteouts: 'overlay',
          });
        }),
      );
    }
    return dirs.reverse();
  }

  /**
   * Runs clean-up off the step's path (unmounting a view, removing a step's scratch dir): the
   * next step need not wait for it; `settle` does, before the build ends.
   */
  inBackground(task: () => Promise<void>): void {
    const p: Promise<void> = task().then(
      () => void this.releasing.delete(p),
      (e: unknown) => {
        this.releaseError ??= e;
        this.releasing.delete(p);
      },
    );
    this.releasing.add(p);
  }

  /** Waits until every view is unmounted and removed; throws the first failure to do so. */
  async settle(): Promise<void> {
    while (this.releasing.size > 0) await Promise.all([...this.releasing]);
    if (this.releaseError !== undefined) throw this.releaseError;
  }

  /** Runs `fn` with the stack's merged root filesystem at a directory; read it, do not write it. */
  async withView<T>(layers: readonly BuiltLayer[], fn: (dir: string | undefined) => Promise<T>): Promise<T> {
    if (layers.length === 0) return fn(undefined);
    if (this.isRoot) {
      const lower = await this.lowerDirs(layers);
      if (lower.length === 1) return fn(lower[0]);
      const tmp = await this.store.tmpDir('view-');
      const target = join(tmp, 'root');
      await mkdir(target);
      // Read-only (no upper dir): the view is only read, and unmounting it syncs nothing.
      const unmount = await mountOverlay({ lowerDirs: lower, target });
      try {
        return await fn(target);
      } finally {
        // Off the step's path: the next step need not wait for `umount` (a process) and the
        // removal. `settle` waits for them; the cleanup registry unmounts on a signal.
        this.inBackground(async () => {
          await unmount();
          await rm(tmp, { recursive: true, force: true });
        });
      }
    }
    const tmp = await this.store.tmpDir('merged-');
    try {
      for (const l of layers)
        await applyLayer(this.store.blobs.open(l.descriptor.digest), tmp, { isRoot: false });
      return await fn(tmp);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
}
