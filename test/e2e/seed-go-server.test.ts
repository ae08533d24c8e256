/**
 * The seed example (examples/go-server) end to end: a Go toolchain image made from Debian's
 * golang-go (scripts/base-rootfs.sh), the server built in a RUN, shipped alone in a scratch
 * image with busybox from a registry, then served by `gantry run` and answered over HTTP.
 * Variants: the example itself, `COPY --from=0`, one stage, and `--target builder`; they share
 * the toolchain steps, so the Go compile runs once.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  busyboxWorkspace,
  type Gantry,
  haveTool,
  REPO,
  readTree,
  runSkipReason,
  STDPATH,
  spawnGantry,
  stepOutcomes,
  writeTree,
} from './fixtures/build-helpers.ts';
import { type RegistryServer, registrySkipReason, startRegistry } from './fixtures/registry-server.ts';

const skip =
  runSkipReason() ||
  registrySkipReason() ||
  (haveTool('go') ? false : 'go is missing (apt-get install golang-go)');
const EXAMPLE = join(REPO, 'examples/go-server');
const HELLO = 'hello from a gantry-built image\n';

let work: { dir: string; cleanup: () => Promise<void> };
let g: Gantry;
let ctx: string;
let registry: RegistryServer;
let remoteBusybox: string;

/** The example's Dockerfile with its `COPY --from=busybox` pointed at the registry image. */
async function exampleDockerfile(): Promise<string> {
  const text = await readFile(join(EXAMPLE, 'Dockerfile'), 'utf8');
  assert.match(text, /COPY --from=busybox /);
  return text.replace('COPY --from=busybox ', `COPY --from=${remoteBusybox} `);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function get(url: string): Promise<string | undefined> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return await r.text();
  } catch {
    return undefined;
  }
}

function storeMounts(root: string): string[] {
  return execFileSync('cat', ['/proc/mounts'])
    .toString()
    .split('\n')
    .filter((l) => l.includes(root));
}

/** runc containers whose bundle is in this store (other test files may run their own). */
function ourContainers(root: string): string[] {
  const list = JSON.parse(execFileSync('runc', ['list', '--format', 'json']).toString() || 'null') as
    | { id: string; bundle: string }[]
    | null;
  return (list ?? []).filter((c) => c.bundle.startsWith(root)).map((c) => c.id);
}

describe('the seed example: examples/go-server', { skip }, () => {
  before(async () => {
    ({ work, g } = await busyboxWorkspace('seed'));
    const goroot = join(work.dir, 'golang-rootfs');
    execFileSync('bash', [join(REPO, 'scripts/base-rootfs.sh'), 'golang', goroot], { stdio: 'pipe' });
    g.ok([
      'import',
      goroot,
      '-t',
      'golang:latest',
      '--change',
      `ENV PATH=/go/bin:/usr/local/go/bin:${STDPATH}`,
      '--change',
      'ENV GOROOT=/usr/local/go GOPATH=/go HOME=/root',
      '--change',
      'WORKDIR /go',
    ]);
    execFileSync('rm', ['-rf', goroot]);
    registry = await startRegistry();
    remoteBusybox = `${registry.host}/library/busybox:1`;
    g.ok(['push', 'busybox:latest', remoteBusybox]);
    ctx = join(work.dir, 'ctx');
    await writeTree(ctx, { Dockerfile: await exampleDockerfile() });
    await copyFile(join(EXAMPLE, 'server.go'), join(ctx, 'server.go'));
  });
  after(async () => {
    await registry?.close();
    await work?.cleanup();
  });

  test('the example builds: Go compiled in the builder stage, a scratch image with two files', async () => {
    const r = await g.runAsync(['build', '--progress=plain', '-t', 'seed-server:1', ctx]);
    assert.equal(r.status, 0, r.stderr);
    const steps = stepOutcomes(r.stderr);
    assert.ok(steps.some((s) => s.text.startsWith('RUN CGO_ENABLED=0') && s.outcome === 'DONE'));
    assert.match(r.stderr, new RegExp(`pulling ${remoteBusybox.replace(/[.]/g, '\\.')}`));
    const img = g.inspect('seed-server:1');
    assert.deepEqual(img.config.config?.Entrypoint, ['/server']);
    assert.equal(img.manifest.layers.length, 2, 'scratch + two COPY layers');
    const out = join(work.dir, 'seed-out');
    g.ok(['build', '-q', '--output', `type=local,dest=${out}`, ctx]);
    const tree = await readTree(out, { content: false });
    assert.deepEqual(Object.keys(tree).sort(), ['busybox', 'server']);
    assert.match(tree.server ?? '', /^f 0755 0:0/);
    // A static Linux executable, and the size summary shows the builder much bigger than the image.
    const head = (await readFile(join(out, 'server'))).subarray(0, 4);
    assert.deepEqual([...head], [0x7f, 0x45, 0x4c, 0x46]);
    assert.match(r.stderr, /size:\n {2}stage-1 \(image\) .*2 layers\n {2}builder .*\d+ layers\n/);
  });

  test('variants share the compile: COPY --from=0, one stage, --target builder', async () => {
    const base = await exampleDockerfile();
    await writeTree(ctx, {
      'Dockerfile.index': base.replace('COPY --from=builder ', 'COPY --from=0 '),
      'Dockerfile.single': `FROM golang
COPY server.go /build/
WORKDIR /build
RUN CGO_ENABLED=0 GOOS=linux go build -ldflags '-w -s' -o server server.go
ENTRYPOINT ["/build/server"]
`,
    });
    const first = g.inspect('seed-server:1');
    const idx = g.ok([
      'build',
      '--progress=plain',
      '-f',
      join(ctx, 'Dockerfile.index'),
      '-t',
      'seed-index:1',
      ctx,
    ]);
    assert.ok(stepOutcomes(idx.stderr).every((s) => s.outcome !== 'DONE' || s.text.startsWith('FROM')));
    assert.deepEqual(g.inspect('seed-index:1').manifest.layers, first.manifest.layers);

    const single = g.ok([
      'build',
      '--progress=plain',
      '-f',
      join(ctx, 'Dockerfile.single'),
      '-t',
      'seed-single:1',
      ctx,
    ]);
    assert.ok(
      stepOutcomes(single.stderr).some(
        (s) => s.text.startsWith('RUN CGO_ENABLED=0') && s.outcome === 'CACHED',
      ),
      single.stderr,
    );
    const s = g.inspect('seed-single:1');
    assert.deepEqual(s.config.config?.Entrypoint, ['/build/server']);
    assert.equal(s.config.config?.WorkingDir, '/build');
    const golang = g.inspect('golang:latest');
    assert.equal(
      s.manifest.layers.length,
      golang.manifest.layers.length + 2,
      'COPY and RUN (WORKDIR /build exists)',
    );

    g.ok(['build', '-q', '--target', 'builder', '-t', 'seed-builder:1', ctx]);
    const b = g.inspect('seed-builder:1');
    // The builder stage has the same steps as the single-stage file: the very same layers.
    assert.deepEqual(b.manifest.layers, s.manifest.layers);
    assert.ok((b.config.config?.Env ?? []).some((e) => e.startsWith('GOROOT=')));
  });

  test('gantry run serves HTTP from the image; SIGTERM stops it and leaves nothing behind', async () => {
    const port = await freePort();
    const run = spawnGantry(g.root, [
      'run',
      '--rm',
      '--network',
      'host',
      '-e',
      `ADDR=127.0.0.1:${port}`,
      'seed-server:1',
    ]);
    let body: string | undefined;
    try {
      for (let i = 0; i < 200 && body === undefined; i++) {
        if (run.child.exitCode !== null) break;
        body = await get(`http://127.0.0.1:${port}/`);
        if (body === undefined) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(body, HELLO, run.output());
      // While it serves, the container and its root filesystem mount are there to be seen.
      assert.equal(ourContainers(g.root).length, 1);
      assert.ok(storeMounts(g.root).length > 0);
    } finally {
      run.child.kill('SIGTERM');
    }
    const exit = await Promise.race([
      run.exited,
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), 20_000).unref()),
    ]);
    if (exit === 'hung') run.child.kill('SIGKILL');
    assert.notEqual(exit, 'hung', `gantry run did not stop on SIGTERM: ${run.output()}`);
    assert.equal(await get(`http://127.0.0.1:${port}/`), undefined, 'the server is gone');
    assert.deepEqual(ourContainers(g.root), []);
    assert.deepEqual(storeMounts(g.root), []);
    assert.ok(
      !existsSync(join(g.root, 'tmp')) ||
        execFileSync('ls', [join(g.root, 'tmp')])
          .toString()
          .trim() === '',
    );
  });
});
