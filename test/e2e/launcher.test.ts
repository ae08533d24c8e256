/**
 * The `bin/gantry` launcher: which CA store node is started with (the system's, loaded at the
 * first handshake, instead of NODE_EXTRA_CA_CERTS parsed at every start when it names the same
 * store), and that a registry behind a certificate from a CA of the user's own, named by
 * NODE_EXTRA_CA_CERTS, is still trusted — and not trusted without it; and the V8 code cache
 * it keeps beside the bundle (written when missing, rejected or a new subcommand ran; a dist/ it
 * cannot write to is no obstacle).
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildSkipReason, busyboxWorkspace, GANTRY, type Gantry, REPO } from './fixtures/build-helpers.ts';
import { type RegistryServer, startRegistry } from './fixtures/registry-server.ts';

const SYSTEM_CAS = '/etc/ssl/certs/ca-certificates.crt';
const skip = buildSkipReason(['docker-registry', 'openssl']);
const noSystemStore = (() => {
  try {
    accessSync(SYSTEM_CAS, constants.R_OK);
    return false;
  } catch {
    return `${SYSTEM_CAS} is missing (apt-get install ca-certificates)`;
  }
})();

let work: { dir: string; cleanup: () => Promise<void> };
let g: Gantry;
let registry: RegistryServer;
let caFile: string;

before(async () => {
  if (skip) return;
  ({ work, g } = await busyboxWorkspace('gantry-e2e-launcher-'));
  // A CA of our own and a server certificate it signed for 127.0.0.1.
  const d = work.dir;
  caFile = join(d, 'ca.pem');
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const caKey = join(d, 'ca.key');
  const serverKey = join(d, 'server.key');
  const csr = join(d, 'server.csr');
  const ext = join(d, 'ext.cnf');
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caFile,
    '-subj',
    '/CN=gantry test CA',
    '-days',
    '2',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    serverKey,
    '-out',
    csr,
    '-subj',
    '/CN=127.0.0.1',
  );
  await writeFile(ext, 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caFile,
    '-CAkey',
    caKey,
    '-CAcreateserial',
    '-out',
    join(d, 'server.pem'),
    '-days',
    '2',
    '-extfile',
    ext,
  );
  // A stand-in `node` for the launcher tests: prints what it was started with.
  await writeFile(
    join(d, 'node'),
    '#!/bin/sh\necho "extra=${NODE_EXTRA_CA_CERTS-<unset>}"\nfor a; do echo "$a"; done\n',
  );
  await chmod(join(d, 'node'), 0o755);
  registry = await startRegistry({ kind: 'open' }, { certificate: join(d, 'server.pem'), key: serverKey });
});

after(async () => {
  if (skip) return;
  await registry.close();
  await work.cleanup();
});

/** Runs the launcher with the stand-in `node` first on PATH. */
async function launch(env: Record<string, string | undefined>): Promise<{ args: string[]; extra: string }> {
  const clean: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...process.env, PATH: `${work.dir}:${process.env.PATH}`, ...env }))
    if (v !== undefined) clean[k] = v;
  const r = spawnSync(GANTRY, ['--version'], { env: clean, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const [first = '', ...args] = r.stdout.trimEnd().split('\n');
  return { extra: first.replace(/^extra=/, ''), args };
}

test('launcher: the system CA store is used as OpenSSL loads it, not parsed at start-up', {
  skip: skip || noSystemStore,
}, async () => {
  for (const extra of [undefined, SYSTEM_CAS]) {
    const r = await launch({ NODE_EXTRA_CA_CERTS: extra, NODE_OPTIONS: undefined });
    assert.equal(r.extra, '<unset>', `NODE_EXTRA_CA_CERTS=${extra}`);
    assert.deepEqual(r.args, ['--use-openssl-ca', GANTRY, '--version']);
  }
});

test("launcher: a NODE_EXTRA_CA_CERTS of the user's own is kept beside the system store; a CA flag in NODE_OPTIONS decides alone", {
  skip,
}, async () => {
  const own = await launch({ NODE_EXTRA_CA_CERTS: caFile, NODE_OPTIONS: undefined });
  assert.equal(own.extra, caFile);
  assert.deepEqual(own.args, [...(noSystemStore ? [] : ['--use-openssl-ca']), GANTRY, '--version']);
  for (const flag of ['--use-bundled-ca', '--use-openssl-ca']) {
    const r = await launch({ NODE_EXTRA_CA_CERTS: undefined, NODE_OPTIONS: flag });
    assert.deepEqual(r.args, [GANTRY, '--version'], flag);
  }
});

test('a registry whose certificate comes from a CA named by NODE_EXTRA_CA_CERTS is trusted; without it, refused', {
  skip,
}, () => {
  const target = `${registry.host}/own-ca/busybox:1`;
  const refused = g.run(['push', 'busybox:latest', target], { env: { NODE_EXTRA_CA_CERTS: '' } });
  assert.notEqual(refused.status, 0, refused.stdout);
  assert.match(refused.stderr, /certificate|TLS|tls/, refused.stderr);
  const pushed = g.run(['push', 'busybox:latest', target], { env: { NODE_EXTRA_CA_CERTS: caFile } });
  assert.equal(pushed.status, 0, pushed.stderr);
  const pulled = g.run(['pull', target], { env: { NODE_EXTRA_CA_CERTS: caFile } });
  assert.equal(pulled.status, 0, pulled.stderr);
});

/** A copy of bin/gantry and dist/gantry.cjs in `dir`, and a way to run it with node's own flags or as a program. */
async function launcherCopy(dir: string) {
  await mkdir(join(dir, 'bin'), { recursive: true });
  await mkdir(join(dir, 'dist'), { recursive: true });
  await copyFile(GANTRY, join(dir, 'bin/gantry'));
  await copyFile(join(REPO, 'dist/gantry.cjs'), join(dir, 'dist/gantry.cjs'));
  const run = (how: 'node' | 'program', ...args: string[]) => {
    const bin = join(dir, 'bin/gantry');
    const r =
      how === 'node'
        ? spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' })
        : spawnSync(bin, args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    return r.stdout;
  };
  const caches = async () =>
    (await readdir(join(dir, 'dist'))).filter((f) => /^gantry-[0-9a-f]{8}\.v8-cache$/.test(f)).sort();
  return { run, caches };
}

test('launcher: the code cache is written once per subcommand, kept when V8 accepts it, replaced when not', {
  skip,
}, async () => {
  const copy = join(work.dir, 'copy');
  const { run, caches } = await launcherCopy(copy);
  const version = run('node', '--version');
  const [name, ...others] = await caches();
  assert.ok(name !== undefined && others.length === 0, String(await caches()));
  const cache = join(copy, 'dist', name);
  const commands = async () => (await readFile(`${cache}.commands`, 'utf8')).split('\n').sort();
  const first = statSync(cache);
  assert.ok(first.size > 10_000, `a cache of ${first.size} bytes`);
  assert.deepEqual(await commands(), ['(none)']);
  assert.equal(run('node', '--version'), version);
  assert.equal(statSync(cache).ino, first.ino, 'an accepted cache is not rewritten');
  const store = join(work.dir, 'copy-store');
  run('node', '--root', store, 'images');
  assert.notEqual(statSync(cache).ino, first.ino, 'a new subcommand adds its code');
  assert.deepEqual(await commands(), ['(none)', 'images']);
  const grown = statSync(cache);
  run('node', '--root', store, 'images');
  assert.equal(statSync(cache).ino, grown.ino);

  // The launcher run as a program gives node other flags: its own cache, the first one untouched.
  assert.equal(run('program', '--version'), version);
  assert.equal((await caches()).length, 2);
  assert.equal(statSync(cache).ino, grown.ino);

  await writeFile(cache, Buffer.alloc(grown.size, 7));
  assert.equal(run('node', '--version'), version, 'a rejected cache is only slower');
  const rewritten = await readFile(cache);
  assert.ok(
    rewritten.some((b) => b !== 7),
    'and is replaced',
  );
  assert.deepEqual(await commands(), ['(none)'], 'what the old cache held is forgotten');
});

const notRoot = process.getuid?.() === 0 ? false : 'a read-only bind mount needs root';

test('launcher: a read-only dist/ (no cache can be written) still runs, leaving nothing behind', {
  skip: skip || notRoot,
}, async () => {
  const copy = join(work.dir, 'copy-ro');
  const { run, caches } = await launcherCopy(copy);
  const dist = join(copy, 'dist');
  execFileSync('mount', ['--bind', dist, dist]);
  try {
    execFileSync('mount', ['-o', 'remount,bind,ro', dist]);
    for (let i = 0; i < 2; i++) {
      assert.match(run('node', '--version'), /^\d+\.\d+\.\d+/);
      assert.match(run('program', '--version'), /^\d+\.\d+\.\d+/);
    }
  } finally {
    execFileSync('umount', [dist]);
  }
  assert.deepEqual(await caches(), []);
  assert.deepEqual(await readdir(dist), ['gantry.cjs'], 'no temp files left');
});

test('a build served from the cache loads neither child_process, zlib nor worker_threads (bundled as lazy stand-ins)', {
  skip,
}, async () => {
  const ctx = join(work.dir, 'cached-ctx');
  await mkdir(ctx, { recursive: true });
  await writeFile(join(ctx, 'Dockerfile'), 'FROM busybox:latest\nCOPY a.txt /a.txt\n');
  await writeFile(join(ctx, 'a.txt'), 'a\n');
  g.ok(['build', '-q', ctx]);
  const preload = join(work.dir, 'builtins.cjs');
  await writeFile(
    preload,
    "process.on('exit', () => require('node:fs').writeFileSync(process.env.GANTRY_TEST_BUILTINS, process.moduleLoadList.join('\\n')));\n",
  );
  const out = join(work.dir, 'builtins.txt');
  const r = spawnSync(
    process.execPath,
    ['--require', preload, GANTRY, '--root', g.root, 'build', '-q', ctx],
    {
      encoding: 'utf8',
      env: { ...process.env, GANTRY_TEST_BUILTINS: out },
    },
  );
  assert.equal(r.status, 0, r.stderr);
  const loaded = (await readFile(out, 'utf8')).split('\n');
  assert.ok(loaded.includes('NativeModule crypto'), 'the list is real: hashing loads crypto');
  for (const name of ['child_process', 'zlib', 'readline', 'timers/promises', 'worker_threads'])
    assert.ok(!loaded.includes(`NativeModule ${name}`), `${name} was loaded`);
});
