import { resolve } from 'node:path';
import { layerSize } from '../../build/layer-size.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { exportDockerArchive } from '../../export/index.ts';
import { readImage } from '../../image/read-image.ts';
import type { Descriptor } from '../../oci/types.ts';
import { familiarString, parseReference } from '../../registry/index.ts';
import type { Store } from '../../store/types.ts';
import type { CliEnv } from '../cli-env.ts';
import { humanSize } from '../progress/human-size.ts';

/** Finds an image by name (normalized like docker), by full or short config/manifest digest. */
export async function findImage(
  store: Store,
  name: string,
): Promise<{ name: string; descriptor: Descriptor }> {
  let normalized: string | undefined;
  try {
    normalized = parseReference(name).toString();
  } catch {
    normalized = undefined;
  }
  if (normalized !== undefined) {
    const d = await store.refs.get(normalized);
    if (d) return { name: normalized, descriptor: d };
  }
  const hex = name.replace(/^sha256:/, '');
  if (/^[a-f0-9]{6,64}$/.test(hex)) {
    for (const r of await store.refs.list()) {
      if (r.descriptor.digest.slice(7).startsWith(hex)) return r;
      const img = await readImage(store.blobs, r.descriptor).catch(() => undefined);
      if (img && (await configDigest(store, r.descriptor)).slice(7).startsWith(hex)) return r;
    }
  }
  throw new GantryError('E_IMAGE_NOT_FOUND', `no image ${JSON.stringify(name)} in the store`, {
    hint: 'see `gantry images` for what the store holds',
  });
}

async function configDigest(store: Store, d: Descriptor): Promise<string> {
  const m = JSON.parse((await store.blobs.readBytes(d.digest)).toString('utf8')) as {
    config?: { digest?: string };
  };
  return m.config?.digest ?? '';
}

export async function imagesCommand(store: Store, cli: CliEnv, quiet: boolean): Promise<void> {
  const rows: string[][] = [];
  for (const r of await store.refs.list()) {
    const img = await readImage(store.blobs, r.descriptor).catch(() => undefined);
    const ref = parseReference(r.name);
    const fam = familiarString(ref);
    const i = fam.lastIndexOf(':');
    const repo = ref.tag !== undefined && i > 0 ? fam.slice(0, i) : fam;
    const tag = ref.tag ?? '<none>';
    const id = img ? (await configDigest(store, r.descriptor)).slice(7, 19) : '<broken>';
    let size = 0;
    if (img) for (const l of img.manifest.layers) size += await layerSize(store.blobs, l);
    rows.push([
      repo,
      tag,
      id,
      img?.config.created ? img.config.created.slice(0, 19).replace('T', ' ') : '',
      humanSize(size),
    ]);
  }
  if (quiet) {
    for (const r of rows) cli.out(`${r[2]}\n`);
    return;
  }
  const head = ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'];
  const all = [head, ...rows];
  const w = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  for (const r of all)
    cli.out(`${r.map((x, c) => (c === r.length - 1 ? x : x.padEnd(w[c]!))).join('   ')}\n`);
}

export async function inspectCommand(store: Store, cli: CliEnv, name: string): Promise<void> {
  const { name: full, descriptor } = await findImage(store, name);
  const img = await readImage(store.blobs, descriptor);
  cli.out(
    `${JSON.stringify({ name: full, descriptor, manifest: img.manifest, config: img.config }, null, 2)}\n`,
  );
}

export async function historyCommand(store: Store, cli: CliEnv, name: string): Promise<void> {
  const { descriptor } = await findImage(store, name);
  const img = await readImage(store.blobs, descriptor);
  const layers = img.manifest.layers;
  let li = layers.length - 1;
  const rows: string[][] = [];
  for (const h of [...(img.config.history ?? [])].reverse()) {
    let size = '0 B';
    let layer = '<missing>';
    if (!h.empty_layer) {
      const l = layers[li--];
      if (l) {
        size = humanSize(await layerSize(store.blobs, l));
        layer = l.digest.slice(7, 19);
      }
    }
    rows.push([layer, (h.created ?? '').slice(0, 19).replace('T', ' '), h.created_by ?? '', size]);
  }
  const head = ['LAYER', 'CREATED', 'CREATED BY', 'SIZE'];
  const cut = (s: string) => (s.length > 60 ? `${s.slice(0, 59)}…` : s);
  const all = [head, ...rows.map((r) => [r[0]!, r[1]!, cut(r[2]!), r[3]!])];
  const w = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  for (const r of all)
    cli.out(`${r.map((x, c) => (c === r.length - 1 ? x : x.padEnd(w[c]!))).join('   ')}\n`);
}

export async function saveCommand(store: Store, cli: CliEnv, name: string, output: string): Promise<void> {
  const { name: full, descriptor } = await findImage(store, name);
  const ref = parseReference(full);
  const tags = ref.tag !== undefined ? [familiarString(ref)] : [];
  await exportDockerArchive({
    blobs: store.blobs,
    manifest: descriptor,
    tags,
    dest: resolve(cli.cwd, output),
  });
  cli.err(`saved ${familiarString(ref)} to ${output}\n`);
}

export async function rmiCommand(store: Store, cli: CliEnv, names: string[]): Promise<void> {
  for (const n of names) {
    const { name } = await findImage(store, n);
    await store.refs.delete(name);
    cli.out(`Untagged: ${familiarString(parseReference(name))}\n`);
  }
}
