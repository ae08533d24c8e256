import { GantryError } from '../errors/gantry-error.ts';
import { exportDockerArchive, exportLocal, exportOciLayout } from '../export/index.ts';
import { compressImage } from '../image/compress-image.ts';
import type { Descriptor } from '../oci/types.ts';
import { familiarString, parseReference, pushImage, type RegistryAccessOptions } from '../registry/index.ts';
import type { Store } from '../store/types.ts';
import type { BuildEventSink } from './events.ts';
import type { OutputSpec } from './types.ts';

export interface WriteOutputsOptions {
  outputs: OutputSpec[];
  store: Store;
  manifest: Descriptor;
  /** Normalized tag references. */
  tags: string[];
  registry: RegistryAccessOptions;
  push: boolean;
  onEvent: BuildEventSink;
}

/**
 * Writes the built image where `--output` and `--push` ask (the store always has it). Returns
 * the manifest that was pushed or written to an OCI layout (its layers gzip-compressed), if any.
 */
export async function writeOutputs(o: WriteOutputsOptions): Promise<Descriptor | undefined> {
  // Registries and OCI layouts get gzip layers (made once, on first need); the store, a docker
  // archive (as `docker save` writes) and a local export use the plain tars.
  let gzipped: Promise<Descriptor> | undefined;
  const distributable = (): Promise<Descriptor> => {
    gzipped ??= compressImage({ blobs: o.store.blobs, cache: o.store.cache }, o.manifest);
    return gzipped;
  };
  const familiar = o.tags.map((t) => familiarString(parseReference(t)));
  for (const out of o.outputs) {
    switch (out.type) {
      case 'image':
        break;
      case 'oci': {
        const refName = familiar[0]?.split(':').pop();
        await exportOciLayout({
          blobs: o.store.blobs,
          manifest: await distributable(),
          ...(out.tar ? { destTar: out.dest } : { dest: out.dest }),
          ...(refName ? { refName } : {}),
        });
        o.onEvent({ type: 'info', message: `exported OCI layout to ${out.dest}` });
        break;
      }
      case 'docker':
        await exportDockerArchive({
          blobs: o.store.blobs,
          manifest: o.manifest,
          tags: familiar,
          dest: out.dest,
        });
        o.onEvent({ type: 'info', message: `exported docker archive to ${out.dest}` });
        break;
      case 'local':
        await exportLocal({ blobs: o.store.blobs, manifest: o.manifest, dest: out.dest });
        o.onEvent({ type: 'info', message: `exported root filesystem to ${out.dest}` });
        break;
      case 'registry':
        await pushAll(o, await distributable());
        break;
      default: {
        const never: never = out;
        throw new Error(`unhandled output ${JSON.stringify(never)}`);
      }
    }
  }
  if (o.push && !o.outputs.some((x) => x.type === 'registry')) await pushAll(o, await distributable());
  return gzipped === undefined ? undefined : await gzipped;
}

async function pushAll(o: WriteOutputsOptions, manifest: Descriptor): Promise<void> {
  if (o.tags.length === 0) {
    throw new GantryError('E_PUSH_NO_TAG', 'nothing to push: the build has no -t tag', {
      hint: 'add -t registry.example.com/repo:tag',
    });
  }
  for (const t of o.tags) {
    const r = await pushImage({ ...o.registry, ref: t, blobs: o.store.blobs, manifest });
    o.onEvent({ type: 'info', message: `pushed ${familiarString(parseReference(t))}@${r.digest}` });
  }
}
