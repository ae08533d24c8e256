import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isGantryError } from '../../src/errors/gantry-error.ts';
import { planCopy } from '../../src/exec/copy/plan-copy.ts';
import { listTree, writeAndApply } from '../../src/exec/copy/testing/layer-roundtrip.ts';
import { makeTree } from '../../src/exec/copy/testing/make-tree.ts';
import type { CopyRequest } from '../../src/exec/copy/types.ts';
import { makeTar } from '../../src/image/testing/make-tar.ts';

const BODY = 'downloaded payload\n';
const LAST_MODIFIED = 'Wed, 21 Oct 2015 07:28:00 GMT';
const archive = makeTar(
  [
    { name: 'pkg/', type: 'dir', mode: 0o755 },
    { name: 'pkg/README', body: 'from the tarball', mode: 0o644, mtime: 1_600_000_000 },
  ],
  { gzip: true },
);

let dir: string;
let server: Server;
let baseUrl: string;
const seen: string[] = [];

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-e2e-copy-add-'));
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ''}`);
    if (req.url?.startsWith('/files/tool.txt')) {
      res.writeHead(200, { 'content-type': 'text/plain', 'last-modified': LAST_MODIFIED });
      res.end(BODY);
    } else if (req.url === '/files/pkg.tar.gz') {
      res.writeHead(200, { 'content-type': 'application/gzip' });
      res.end(archive);
    } else {
      res.writeHead(404);
      res.end('not here');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

const sha256 = (b: string | Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function run(
  name: string,
  r: Partial<CopyRequest> & { sources: string[]; dest: string },
): Promise<string> {
  const context = join(dir, `${name}-context`);
  const target = join(dir, `${name}-target`);
  await makeTree(context, [{ path: '.', dir: true }]);
  await makeTree(target, [{ path: '.', dir: true }]);
  const plan = await planCopy({
    source: { root: context, kind: 'context' },
    workdir: '/',
    destRoot: undefined,
    isAdd: true,
    tmpDir: dir,
    ...r,
  });
  try {
    await writeAndApply(plan, join(dir, 'store'), target);
  } finally {
    await plan.cleanup();
  }
  return target;
}

test('ADD <url> with a matching --checksum lands as a 0600 file with the Last-Modified mtime', async () => {
  const target = await run('ok', {
    sources: [`${baseUrl}/files/tool.txt?v=1`],
    dest: '/opt/tools/',
    checksum: sha256(BODY),
  });
  assert.deepEqual(await listTree(target, false), [
    'opt dir 0755',
    'opt/tools dir 0755',
    `opt/tools/tool.txt file 0600 = ${BODY}`,
  ]);
  const st = await stat(join(target, 'opt/tools/tool.txt'));
  assert.equal(st.mtimeMs, Date.parse(LAST_MODIFIED));
});

test('ADD <url> with a wrong --checksum fails naming the URL and both digests', async () => {
  const wrong = sha256('something else');
  await assert.rejects(
    run('bad', { sources: [`${baseUrl}/files/tool.txt`], dest: '/t', checksum: wrong }),
    (e) => {
      assert.ok(isGantryError(e, 'E_ADD_CHECKSUM_MISMATCH'), String(e));
      assert.ok(e.message.includes(`${baseUrl}/files/tool.txt`), e.message);
      assert.ok(e.message.includes(wrong) && e.message.includes(sha256(BODY)), e.message);
      return true;
    },
  );
});

test('ADD <url> of a 404 fails; URL credentials go as basic auth and never reach the message', async () => {
  const withCreds = baseUrl.replace('http://', 'http://bob:hunter2@');
  await assert.rejects(run('404', { sources: [`${withCreds}/missing`], dest: '/t' }), (e) => {
    assert.ok(isGantryError(e, 'E_ADD_URL_STATUS'), String(e));
    assert.ok(!e.message.includes('hunter2') && !e.message.includes('bob'), e.message);
    return true;
  });
  assert.ok(
    seen.includes(`GET /missing auth=Basic ${Buffer.from('bob:hunter2').toString('base64')}`),
    seen.join('\n'),
  );
});

test('ADD <url> to an unreachable server fails with E_ADD_URL_FETCH', async () => {
  await assert.rejects(run('down', { sources: ['http://127.0.0.1:1/x'], dest: '/t' }), (e) =>
    isGantryError(e, 'E_ADD_URL_FETCH'),
  );
});

test('ADD of a remote archive is not extracted unless --unpack', async () => {
  const kept = await run('remote-tar', { sources: [`${baseUrl}/files/pkg.tar.gz`], dest: '/d/' });
  assert.deepEqual(
    (await listTree(kept, false)).map((l) => l.split(' = ')[0]),
    ['d dir 0755', 'd/pkg.tar.gz file 0600'],
  );
  const unpacked = await run('remote-tar-unpack', {
    sources: [`${baseUrl}/files/pkg.tar.gz`],
    dest: '/d/',
    unpack: true,
  });
  assert.deepEqual(await listTree(unpacked, false), [
    'd dir 0755',
    'd/pkg dir 0755',
    'd/pkg/README file 0644 = from the tarball',
  ]);
});

test('ADD of a local tar.gz extracts it into the destination', async () => {
  const context = join(dir, 'local-context');
  const target = join(dir, 'local-target');
  await makeTree(context, [{ path: '.', dir: true }]);
  await makeTree(target, [{ path: '.', dir: true }]);
  await writeFile(join(context, 'pkg.tar.gz'), archive);
  const plan = await planCopy({
    source: { root: context, kind: 'context' },
    sources: ['pkg.tar.gz'],
    dest: '/usr/src/',
    workdir: '/',
    destRoot: undefined,
    isAdd: true,
  });
  try {
    await writeAndApply(plan, join(dir, 'store'), target);
  } finally {
    await plan.cleanup();
  }
  assert.deepEqual(await listTree(target, false), [
    'usr dir 0755',
    'usr/src dir 0755',
    'usr/src/pkg dir 0755',
    'usr/src/pkg/README file 0644 = from the tarball',
  ]);
  assert.equal((await stat(join(target, 'usr/src/pkg/README'))).mtimeMs, 1_600_000_000_000);
});
