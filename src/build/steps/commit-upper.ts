import { readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { excludeFilter } from '../../exec/mount-stubs.ts';
import { entriesFromDirectory } from '../../image/entries-from-directory.ts';
import type { LayerEntry } from '../../image/layer-entry.ts';
import { writeLayer } from '../../image/write-layer.ts';
import { chainIds } from '../../oci/chain-id.ts';
import { rfc3339 } from '../../oci/time.ts';
import { sharedChunk } from '../../store/chunk-pool.ts';
import type { BuildContext } from '../build-context.ts';
import type { BuiltLayer } from '../types.ts';

/** Writes entries as a layer blob; an empty change makes no layer (BuildKit drops empty layers). */
export async function writeEntries(
  ctx: BuildContext,
  entries: AsyncIterable<LayerEntry> | Iterable<LayerEntry>,
): Promise<BuiltLayer | undefined> {
  let any = false;
  async function* counted(): AsyncIterable<LayerEntry> {
    for await (const e of entries) {
      any = true;
      yield e;
    }
  }
  const written = await writeLayer(counted(), {
    blobs: ctx.store.blobs,
    compression: 'none',
    newChunk: sharedChunk,
    ...(ctx.opts.sourceDateEpoch !== undefined ? { sourceDateEpoch: ctx.opts.sourceDateEpoch } : {}),
  });
  if (!any) return undefined;
  return {
    diffId: written.diffId,
    descriptor: written.descriptor,
    size: written.uncompressedSize,
    created: ctx.created ?? rfc3339(new Date()),
  };
}

/**
 * Turns a RUN's overlay upper dir into a layer, then keeps the upper dir (minus mount stubs) as
 * the new layer's snapshot, so the next step mounts it without unpacking anything. The layer is
 * read while the overlay may still be unmounting (`unmounted`); nothing in the upper dir is
 * changed or moved before that is done.
 */
export async function commitUpperDir(
  ctx: BuildContext,
  parents: readonly BuiltLayer[],
  upperDir: string,
  excludes: readonly string[],
  unmounted: Promise<void> = Promise.resolve(),
): Promise<BuiltLayer | undefined> {
  const layer = await writeEntries(
    ctx,
    entriesFromDirectory(upperDir, { overlayUpper: true, exclude: excludeFilter(excludes) }),
  ).catch(async (e: unknown) => {
    await unmounted.catch(() => undefined);
    throw e;
  });
  await unmounted;
  if (layer === undefined) return undefined;
  for (const rel of excludes) await rm(join(upperDir, rel), { recursive: true, force: true });
  const ids = chainIds([...parents.map((l) => l.diffId), layer.diffId]);
  await ctx.store.snapshots.prepare(ids[ids.length - 1]!, async (dir) => {
    for (const name of await readdir(upperDir)) await rename(join(upperDir, name), join(dir, name));
  });
  return layer;
}
