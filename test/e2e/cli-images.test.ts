/**
 * The store commands a user runs after a build: images, inspect, history, rmi, prune and
 * store verify, through the CLI against a temp store.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildSkipReason, busyboxWorkspace, type Gantry, writeTree } from './fixtures/build-helpers.ts';

const skip = buildSkipReason();

let work: { dir: string; cleanup: () => Promise<void> };
let g: Gantry;
let ctx: string;

const blobCount = async () => (await readdir(join(g.root, 'blobs/sha256'))).length;
const blobPath = (digest: string) => join(g.root, 'blobs/sha256', digest.slice(7));

describe('store commands: images, inspect, history, rmi, prune, store verify', { skip }, () => {
  before(async () => {
    ({ work, g } = await busyboxWorkspace('cli-images'));
    ctx = join(work.dir, 'ctx');
    await writeTree(ctx, {
      Dockerfile: 'FROM busybox\nCOPY big.txt /big.txt\nENV K=v\n',
      'big.txt': 'x'.repeat(10_000),
    });
    g.ok(['build', '-q', '-t', 'app:1', '-t', 'example.com/team/app:2', ctx]);
  });
  after(async () => {
    await work?.cleanup();
  });

  test('images lists every tag with its image ID and size; -q only the IDs', () => {
    const app = g.inspect('app:1');
    const id = app.manifest.config.digest.slice(7, 19);
    const lines = g.ok(['images']).stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$/);
    const rows = lines.slice(1).map((l) => l.split(/ {2,}/));
    const byRepo = new Map(rows.map((r) => [`${r[0]}:${r[1]}`, r]));
    assert.deepEqual([...byRepo.keys()].sort(), ['app:1', 'busybox:latest', 'example.com/team/app:2']);
    assert.equal(byRepo.get('app:1')?.[2], id);
    assert.equal(byRepo.get('example.com/team/app:2')?.[2], id);
    assert.match(byRepo.get('app:1')?.[4] ?? '', /^\d+(\.\d+)? MB$/);
    const q = g.ok(['images', '-q']).stdout.trim().split('\n').sort();
    assert.equal(q.length, 3);
    assert.equal(q.filter((x) => x === id).length, 2);
  });

  test('inspect by name, by short image ID and by manifest digest', () => {
    const app = g.inspect('app:1');
    assert.equal(g.inspect(app.manifest.config.digest.slice(7, 19)).descriptor.digest, app.descriptor.digest);
    assert.equal(g.inspect(app.descriptor.digest).descriptor.digest, app.descriptor.digest);
    assert.equal(g.inspect('docker.io/library/app:1').name, 'docker.io/library/app:1');
  });

  test('history shows the instructions, newest first, with layer sizes', () => {
    const lines = g.ok(['history', 'app:1']).stdout.trim().split('\n');
    assert.match(lines[0] ?? '', /^LAYER +CREATED +CREATED BY +SIZE$/);
    assert.match(lines[1] ?? '', /<missing> .*ENV K=v +0 B$/);
    assert.match(lines[2] ?? '', /^[a-f0-9]{12} .*COPY big\.txt \/big\.txt # buildkit +1[01]\.\d kB$/);
    assert.match(lines.at(-1) ?? '', /^[a-f0-9]{12} .*gantry import .* +\d+(\.\d+)? MB$/);
  });

  test('rmi untags; prune frees what nothing uses; store verify finds no problem', async () => {
    const app = g.inspect('app:1');
    const r = g.ok(['rmi', 'app:1']);
    assert.equal(r.stdout, 'Untagged: app:1\n');
    const missing = g.run(['inspect', 'app:1']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no image "app:1" in the store \[E_IMAGE_NOT_FOUND\]/);
    // The other tag still holds the image: prune frees nothing of it.
    g.ok(['prune']);
    assert.ok(existsSync(blobPath(app.descriptor.digest)));
    g.ok(['rmi', 'example.com/team/app:2']);
    const before = await blobCount();
    const pr = g.ok(['prune']);
    assert.match(pr.stdout, /^removed \d+ blobs/);
    // Manifest and config go; the COPY layer stays while the build cache uses it.
    assert.ok(!existsSync(blobPath(app.descriptor.digest)), 'manifest removed');
    assert.ok(!existsSync(blobPath(app.manifest.config.digest)), 'config removed');
    assert.ok(existsSync(blobPath(app.manifest.layers[1]!.digest)), 'cached layer kept');
    assert.equal(await blobCount(), before - 2);
    const v = g.ok(['store', 'verify']);
    assert.match(v.stdout, /^\d+ blobs checked, 0 problems\n$/);
    // The cache still serves the rebuild.
    const rebuilt = g.ok(['build', '--progress=plain', '-t', 'app:1', ctx]);
    assert.match(rebuilt.stderr, /COPY big\.txt \/big\.txt\n#\d+ CACHED/);
    assert.equal(g.inspect('app:1').manifest.layers[1]?.digest, app.manifest.layers[1]?.digest);
  });

  test('rmi of an unknown image fails; store verify reports a corrupted blob', async () => {
    const r = g.run(['rmi', 'nope:1']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /E_IMAGE_NOT_FOUND/);
    const layer = g.inspect('busybox:latest').manifest.layers[0]!.digest;
    const cfg = g.inspect('busybox:latest').manifest.config.digest;
    await writeFile(blobPath(cfg), '{"corrupted": true}');
    const v = g.run(['store', 'verify']);
    assert.equal(v.status, 1);
    assert.ok(v.stdout.includes(cfg.slice(7)), v.stdout);
    assert.match(v.stdout, /[1-9]\d* problems?\n$/);
    assert.ok(layer.length > 0);
  });
});
