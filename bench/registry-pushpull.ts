/**
 * Push/pull throughput over loopback against Debian's docker-registry, beside `skopeo copy`.
 *
 * Run (not part of CI; needs docker-registry and skopeo from apt, ~2 GB free in $TMPDIR):
 *   cd /work/main && node --import tsx bench/registry-pushpull.ts [--layers 5] [--layer-mb 100]
 *
 * It makes a ~500 MB image of random-content gzip layers in a temp store, then times:
 *   gantry push (store → registry A), gantry pull (registry A → empty store),
 *   skopeo copy oci:dir → registry B, skopeo copy registry B → oci:dir.
 * Each tool pushes to a fresh registry so neither finds blobs the other uploaded.
 */
import { execFile } from 'node:child_process';
import { link, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs, promisify } from 'node:util';
import { digestHex } from '../src/oci/digest.ts';
import { pullImage, pushImage } from '../src/registry/index.ts';
import { fakeBlobStore } from '../src/registry/testing/fake-blob-store.ts';
import { makeImage } from '../src/registry/testing/make-image.ts';
import { startRegistry } from '../test/e2e/fixtures/registry-server.ts';

const run = promisify(execFile);

async function timed<T>(label: string, bytes: number, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  const s = (performance.now() - t0) / 1000;
  console.log(
    `${label.padEnd(34)} ${s.toFixed(2).padStart(7)} s ${(bytes / 1e6 / s).toFixed(1).padStart(8)} MB/s`,
  );
  return r;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { layers: { type: 'string', default: '5' }, 'layer-mb': { type: 'string', default: '100' } },
  });
  const layers = Number(values.layers);
  const layerBytes = Number(values['layer-mb']) * 1024 * 1024;
  const work = await mkdtemp(join(tmpdir(), 'gantry-bench-reg-'));
  const regA = await startRegistry();
  const regB = await startRegistry();
  try {
    const src = fakeBlobStore(join(work, 'src'));
    console.log(`making ${layers} layers of ${values['layer-mb']} MiB ...`);
    const img = await makeImage(src, { layers, layerBytes });
    const total = img.layers.reduce((a, l) => a + l.size, img.config.size + img.manifest.size);
    console.log(`image ${img.manifest.digest}: ${(total / 1e6).toFixed(0)} MB\n`);

    await timed('gantry push', total, () =>
      pushImage({ ref: `${regA.host}/bench/app:1`, blobs: src, manifest: img.manifest }),
    );
    const dst = fakeBlobStore(join(work, 'dst'));
    await timed('gantry pull', total, () =>
      pullImage({ ref: `${regA.host}/bench/app:1`, blobs: dst, platform: 'linux/amd64', concurrency: 3 }),
    );

    const layout = join(work, 'layout');
    await mkdir(join(layout, 'blobs', 'sha256'), { recursive: true });
    for (const d of [img.manifest, img.config, ...img.layers]) {
      await link(src.path(d.digest), join(layout, 'blobs', 'sha256', digestHex(d.digest)));
    }
    await writeFile(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    const { platform: _p, ...entry } = img.manifest;
    await writeFile(
      join(layout, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ ...entry, annotations: { 'org.opencontainers.image.ref.name': 't' } }],
      }),
    );
    await timed('skopeo copy oci → registry', total, () =>
      run('skopeo', [
        'copy',
        '--dest-tls-verify=false',
        `oci:${layout}:t`,
        `docker://${regB.host}/bench/app:t`,
      ]),
    );
    await timed('skopeo copy registry → oci', total, () =>
      run('skopeo', [
        'copy',
        '--src-tls-verify=false',
        `docker://${regB.host}/bench/app:t`,
        `oci:${join(work, 'back')}:t`,
      ]),
    );
  } finally {
    await regA.close();
    await regB.close();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
