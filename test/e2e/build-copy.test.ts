/**
 * Issue 3: images without RUN. Multi-stage builds from scratch, from an imported busybox image
 * and from earlier stages, with every COPY/ADD form, checked through the CLI's outputs (a local
 * directory and an OCI layout unpacked by umoci).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildSkipReason,
  busyboxWorkspace,
  type Gantry,
  readTree,
  writeTree,
} from './fixtures/build-helpers.ts';

const skip = buildSkipReason(['umoci', 'tar']);
const REMOTE = 'remote content\n';
const REMOTE_SHA = createHash('sha256').update(REMOTE).digest('hex');

let work: { dir: string; cleanup: () => Promise<void> };
let g: Gantry;
let ctx: string;
let server: http.Server;
let port: number;
const requests: string[] = [];

function dockerfile(p: number): string {
  return `# the files stage: from scratch
FROM scratch AS files
COPY *.txt /wild/
COPY sub /subcontents
COPY sub/ /subslash/
COPY a.txt b.txt /multi/
COPY a.txt /renamed.txt
COPY --chmod=0640 a.txt /chmod-octal
COPY --chmod=u=rwx,g=rx,o= a.txt /chmod-sym
COPY --link b.txt /linked/
COPY --exclude=*.log logs /excl/
COPY --parents sub/d/e.txt sub/c.txt /par/
COPY <<EOF /heredoc.txt
hello heredoc
EOF
ADD data.tar.gz /unpacked/
COPY data.tar.gz /notunpacked/
ADD --checksum=sha256:${REMOTE_SHA} http://127.0.0.1:${p}/remote.txt /remote.txt
COPY . /ctx/

FROM busybox AS owned
COPY --chown=user:extra a.txt /home/user/a.txt
COPY --chown=user b.txt /home/user/b.txt
COPY --chown=1234:5678 notes.md /n.md

FROM owned
COPY --from=files /wild /wild
COPY --from=0 /chmod-octal /from-index
COPY --from=files /ctx/logs /ctx-logs
COPY --from=files /ctx /ctx
`;
}

const rw = (content: string) => `f 0644 0:0 ${content}`;

/** The build context files every stage sees (after .dockerignore). */
const contextFiles: Record<string, string> = {
  'a.txt': 'alpha\n',
  'b.txt': 'beta\n',
  'notes.md': 'notes\n',
  'sub/c.txt': 'c\n',
  'sub/d/e.txt': 'e\n',
  'logs/keep.txt': 'keep\n',
  'logs/x.log': 'log\n',
  'logs/sub/y.txt': 'y\n',
  'ignored.txt': 'must not be sent\n',
  'secret/key': 'must not be sent\n',
  '.dockerignore': 'ignored.txt\nsecret\n',
  'Dockerfile.alt': 'FROM scratch\nCOPY . /ctx/\n',
  'Dockerfile.alt.dockerignore': 'a.txt\nsub/d\n',
};

describe('issue 3: builds without RUN', { skip }, () => {
  before(async () => {
    ({ work, g } = await busyboxWorkspace('copy'));
    ctx = join(work.dir, 'ctx');
    await writeTree(ctx, contextFiles);
    await writeTree(join(work.dir, 'tarsrc'), { 't/one.txt': 'one\n', 't/two/three.txt': 'three\n' });
    execFileSync('tar', [
      '-C',
      join(work.dir, 'tarsrc'),
      '--owner=0',
      '--group=0',
      '-czf',
      join(ctx, 'data.tar.gz'),
      't',
    ]);
    await symlink('/etc/hostname', join(ctx, 'outside'));
    await chmod(join(ctx, 'a.txt'), 0o644);
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/remote.txt') res.writeHead(200, { 'Content-Type': 'text/plain' }).end(REMOTE);
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    await writeFile(join(ctx, 'Dockerfile'), dockerfile(port));
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await work?.cleanup();
  });

  test('FROM scratch stage: every COPY/ADD form, exported with type=local', async () => {
    const out = join(work.dir, 'files-out');
    const r = await g.runAsync([
      'build',
      '--progress=plain',
      '--target',
      'files',
      '--output',
      `type=local,dest=${out}`,
      ctx,
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(requests.includes('/remote.txt'), 'ADD fetched the URL from the local server');
    const tree = await readTree(out);
    const ctxTree: Record<string, string> = {};
    for (const [k, v] of Object.entries(contextFiles)) {
      if (k === 'ignored.txt' || k.startsWith('secret/')) continue;
      ctxTree[`ctx/${k}`] = rw(v);
    }
    const expected: Record<string, string> = {
      wild: 'd 0755 0:0',
      'wild/a.txt': rw('alpha\n'),
      'wild/b.txt': rw('beta\n'),
      subcontents: 'd 0755 0:0',
      'subcontents/c.txt': rw('c\n'),
      'subcontents/d': 'd 0755 0:0',
      'subcontents/d/e.txt': rw('e\n'),
      subslash: 'd 0755 0:0',
      'subslash/c.txt': rw('c\n'),
      'subslash/d': 'd 0755 0:0',
      'subslash/d/e.txt': rw('e\n'),
      multi: 'd 0755 0:0',
      'multi/a.txt': rw('alpha\n'),
      'multi/b.txt': rw('beta\n'),
      'renamed.txt': rw('alpha\n'),
      'chmod-octal': 'f 0640 0:0 alpha\n',
      'chmod-sym': 'f 0750 0:0 alpha\n',
      linked: 'd 0755 0:0',
      'linked/b.txt': rw('beta\n'),
      excl: 'd 0755 0:0',
      'excl/keep.txt': rw('keep\n'),
      'excl/sub': 'd 0755 0:0',
      'excl/sub/y.txt': rw('y\n'),
      par: 'd 0755 0:0',
      'par/sub': 'd 0755 0:0',
      'par/sub/c.txt': rw('c\n'),
      'par/sub/d': 'd 0755 0:0',
      'par/sub/d/e.txt': rw('e\n'),
      'heredoc.txt': rw('hello heredoc\n'),
      unpacked: 'd 0755 0:0',
      'unpacked/t': 'd 0755 0:0',
      'unpacked/t/one.txt': rw('one\n'),
      'unpacked/t/two': 'd 0755 0:0',
      'unpacked/t/two/three.txt': rw('three\n'),
      notunpacked: 'd 0755 0:0',
      'remote.txt': `f 0600 0:0 ${REMOTE}`,
      ctx: 'd 0755 0:0',
      ...ctxTree,
      'ctx/Dockerfile': rw(dockerfile(port)),
      'ctx/logs': 'd 0755 0:0',
      'ctx/logs/sub': 'd 0755 0:0',
      'ctx/sub': 'd 0755 0:0',
      'ctx/sub/d': 'd 0755 0:0',
      'ctx/outside': 'l 0:0 -> /etc/hostname',
    };
    // The tarballs are binary: compare them by kind and mode only.
    const { 'notunpacked/data.tar.gz': tgz, 'ctx/data.tar.gz': ctgz, ...rest } = tree;
    assert.match(tgz ?? '', /^f 0644 0:0 /);
    assert.match(ctgz ?? '', /^f 0644 0:0 /);
    assert.deepEqual(rest, expected);
  });

  test('<Dockerfile>.dockerignore replaces .dockerignore for that Dockerfile', async () => {
    const out = join(work.dir, 'alt-out');
    const r = await g.runAsync([
      'build',
      '-q',
      '-f',
      join(ctx, 'Dockerfile.alt'),
      '--output',
      `type=local,dest=${out}`,
      ctx,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const tree = await readTree(join(out, 'ctx'), { content: false });
    assert.equal(tree['a.txt'], undefined, 'a.txt is ignored by Dockerfile.alt.dockerignore');
    assert.equal(tree['sub/d'], undefined, 'sub/d is ignored by Dockerfile.alt.dockerignore');
    assert.ok(tree['sub/c.txt']);
    assert.ok(tree['ignored.txt'], '.dockerignore does not apply when the Dockerfile has its own');
    assert.ok(tree['secret/key']);
  });

  test('multi-stage image FROM busybox: --chown by name, COPY --from=<name|index>, unpacked by umoci', async () => {
    const layout = join(work.dir, 'final-oci');
    const r = await g.runAsync([
      'build',
      '--progress=plain',
      '-t',
      'copy-final:1',
      '--output',
      `type=oci,dest=${layout},tar=false`,
      ctx,
    ]);
    assert.equal(r.status, 0, r.stderr);
    const bundle = join(work.dir, 'final-bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:1`, bundle], { stdio: 'pipe' });
    const tree = await readTree(join(bundle, 'rootfs'), {
      skip: (p) => p === 'bin' || p === 'usr' || p === 'sbin',
    });
    assert.equal(tree['home/user/a.txt'], 'f 0644 1000:2000 alpha\n');
    assert.equal(tree['home/user/b.txt'], 'f 0644 1000:1000 beta\n');
    assert.equal(tree['n.md'], 'f 0644 1234:5678 notes\n');
    assert.equal(tree.wild, 'd 0755 0:0');
    assert.equal(tree['wild/a.txt'], rw('alpha\n'));
    assert.equal(tree['wild/b.txt'], rw('beta\n'));
    assert.equal(tree['from-index'], 'f 0640 0:0 alpha\n');
    assert.equal(tree['ctx/outside'], 'l 0:0 -> /etc/hostname', 'a symlink copied as a symlink');
    assert.equal(tree['ctx-logs/sub/y.txt'], rw('y\n'));
    assert.equal(tree['etc/passwd']?.slice(0, 11), 'f 0644 0:0 ', 'the busybox base layer is there');
    assert.equal(tree.subcontents, undefined, 'only what was copied from the files stage');
    // The image keeps busybox's layer plus one per COPY of the last two stages.
    const img = g.inspect('copy-final:1');
    assert.equal(img.manifest.layers.length, 1 + 3 + 4);
  });

  test('a COPY of a missing file fails with the code frame of its line', async () => {
    const bad = join(work.dir, 'bad');
    await writeTree(bad, {
      Dockerfile: 'FROM scratch\nCOPY a.txt /\nCOPY missing.txt /\nENV X=1\n',
      'a.txt': 'a',
    });
    const r = await g.runAsync(['build', '--progress=plain', bad]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /missing\.txt/);
    assert.match(r.stderr, /Dockerfile:3/);
    assert.match(r.stderr, /^ *3 \| >>> COPY missing\.txt \/$/m, r.stderr);
    assert.match(r.stderr, /^#\d+ ERROR: .*missing\.txt/m);
    assert.match(r.stderr, /\[E_[A-Z_]+\]/);
  });

  test('ADD --checksum mismatch fails the build', async () => {
    const bad = join(work.dir, 'badsum');
    await mkdir(bad, { recursive: true });
    await writeFile(
      join(bad, 'Dockerfile'),
      `FROM scratch\nADD --checksum=sha256:${'0'.repeat(64)} http://127.0.0.1:${port}/remote.txt /r\n`,
    );
    const r = await g.runAsync(['build', '--progress=plain', bad]);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /checksum|digest/i);
    assert.match(r.stderr, /Dockerfile:2/);
  });
});
