import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import { DOCKER_HUB_SERVER, dockerConfigPath, resolveCredentials } from './docker-config.ts';
import { login, logout } from './login.ts';
import type { FetchImpl } from './registry-client.ts';

let dir: string;
let binDir: string;
let helperLog: string;

const b64 = (s: string) => Buffer.from(s).toString('base64');

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gantry-dockercfg-'));
  binDir = join(dir, 'bin');
  helperLog = join(dir, 'helper.log');
  await mkdir(binDir);
  // A fake credential helper: knows one server, records what it is asked to store or erase.
  const script = `#!/bin/sh
read -r input
echo "$1 $input" >> "${helperLog}"
case "$1" in
  get)
    if [ "$input" = "helped.example" ]; then echo '{"ServerURL":"helped.example","Username":"hu","Secret":"hs"}'; exit 0; fi
    if [ "$input" = "tok.example" ]; then echo '{"ServerURL":"tok.example","Username":"<token>","Secret":"refresh-1"}'; exit 0; fi
    echo "credentials not found in native keychain"; exit 1 ;;
  store|erase) exit 0 ;;
esac
exit 1
`;
  await writeFile(join(binDir, 'docker-credential-fake'), script);
  await chmod(join(binDir, 'docker-credential-fake'), 0o755);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function withConfig(
  config: unknown,
): Promise<{ env: Record<string, string>; home: string; cfgDir: string }> {
  const cfgDir = await mkdtemp(join(dir, 'cfg-'));
  await writeFile(join(cfgDir, 'config.json'), JSON.stringify(config));
  return {
    env: { DOCKER_CONFIG: cfgDir, PATH: `${binDir}:/usr/bin:/bin` },
    home: join(dir, 'nohome'),
    cfgDir,
  };
}

describe('dockerConfigPath', () => {
  it('prefers $DOCKER_CONFIG, else ~/.docker', () => {
    assert.equal(dockerConfigPath({ env: { DOCKER_CONFIG: '/c' }, home: '/h' }), '/c/config.json');
    assert.equal(dockerConfigPath({ env: {}, home: '/h' }), '/h/.docker/config.json');
  });
});

describe('resolveCredentials', () => {
  it('reads base64 auth from auths, with Docker Hub under its legacy key and scheme-prefixed keys', async () => {
    const loc = await withConfig({
      auths: {
        [DOCKER_HUB_SERVER]: { auth: b64('hub:pw:with:colons') },
        'https://reg.example:5000/v1/': { auth: b64('r:p') },
        'plain.example': { username: 'pu', password: 'pp' },
        'id.example': { identitytoken: 'refresh-2' },
      },
    });
    assert.deepEqual(await resolveCredentials('docker.io', loc), {
      username: 'hub',
      password: 'pw:with:colons',
    });
    assert.deepEqual(await resolveCredentials('reg.example:5000', loc), { username: 'r', password: 'p' });
    assert.deepEqual(await resolveCredentials('plain.example', loc), { username: 'pu', password: 'pp' });
    assert.deepEqual(await resolveCredentials('id.example', loc), { identityToken: 'refresh-2' });
    assert.equal(await resolveCredentials('other.example', loc), undefined);
  });

  it('asks credHelpers for their host and credsStore for the rest', async () => {
    const loc = await withConfig({
      credsStore: 'fake',
      credHelpers: { 'helped.example': 'fake' },
      auths: { 'fallback.example': { auth: b64('f:g') } },
    });
    assert.deepEqual(await resolveCredentials('helped.example', loc), { username: 'hu', password: 'hs' });
    assert.deepEqual(await resolveCredentials('tok.example', loc), { identityToken: 'refresh-1' });
    // The store does not know it: fall back to the file.
    assert.deepEqual(await resolveCredentials('fallback.example', loc), { username: 'f', password: 'g' });
    assert.equal(await resolveCredentials('none.example', loc), undefined);
  });

  it('a missing helper program is E_REGISTRY_CREDENTIAL_HELPER naming it', async () => {
    const loc = await withConfig({ credHelpers: { 'x.example': 'missing' } });
    await assert.rejects(
      resolveCredentials('x.example', loc),
      (e) => isGantryError(e, 'E_REGISTRY_CREDENTIAL_HELPER') && /docker-credential-missing/.test(e.message),
    );
  });

  it('a missing config file means anonymous; broken JSON is E_REGISTRY_CONFIG', async () => {
    assert.equal(await resolveCredentials('a.example', { env: {}, home: join(dir, 'absent') }), undefined);
    const loc = await withConfig({});
    await writeFile(join(loc.cfgDir, 'config.json'), '{not json');
    await assert.rejects(resolveCredentials('a.example', loc), (e) => isGantryError(e, 'E_REGISTRY_CONFIG'));
  });
});

/** A registry that accepts only u:right with Basic auth. */
const basicRegistry = (async (_input: string | URL | Request, init: RequestInit = {}) => {
  const auth = new Headers(init.headers).get('authorization');
  if (auth === `Basic ${b64('u:right')}`) return new Response('{}');
  return new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } });
}) as FetchImpl;

describe('login and logout', () => {
  it('verifies, then writes auths keeping other fields, mode 0600; logout removes it', async () => {
    const loc = await withConfig({ auths: { 'keep.example': { auth: b64('k:k') } }, psFormat: 'table' });
    await login('reg.example', 'u', 'right', { ...loc, fetchImpl: basicRegistry, retries: 0 });
    const path = join(loc.cfgDir, 'config.json');
    const written = JSON.parse(await readFile(path, 'utf8'));
    assert.deepEqual(written.auths['reg.example'], { auth: b64('u:right') });
    assert.deepEqual(written.auths['keep.example'], { auth: b64('k:k') });
    assert.equal(written.psFormat, 'table');
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await resolveCredentials('reg.example', loc), { username: 'u', password: 'right' });
    assert.equal(await logout('reg.example', loc), true);
    assert.equal(await resolveCredentials('reg.example', loc), undefined);
    assert.equal(await logout('reg.example', loc), false);
  });

  it('a wrong password is E_REGISTRY_AUTH, does not mention the password, and writes nothing', async () => {
    const loc = await withConfig({});
    await assert.rejects(
      login('reg.example', 'u', 'wrong-pass', { ...loc, fetchImpl: basicRegistry, retries: 0 }),
      (e) => {
        assert.ok(isGantryError(e, 'E_REGISTRY_AUTH'));
        assert.ok(!e.message.includes('wrong-pass') && !(e.hint ?? '').includes('wrong-pass'));
        return true;
      },
    );
    assert.deepEqual(JSON.parse(await readFile(join(loc.cfgDir, 'config.json'), 'utf8')), {});
  });

  it('stores through the credential helper when one is configured', async () => {
    const loc = await withConfig({ credsStore: 'fake' });
    const r = await login('reg.example', 'u', 'right', { ...loc, fetchImpl: basicRegistry, retries: 0 });
    assert.equal(r.storedIn, 'docker-credential-fake');
    const log = await readFile(helperLog, 'utf8');
    assert.match(log, /store \{"ServerURL":"reg.example","Username":"u","Secret":"right"\}/);
    const written = JSON.parse(await readFile(join(loc.cfgDir, 'config.json'), 'utf8'));
    assert.deepEqual(written.auths['reg.example'], {});
    await logout('reg.example', loc);
    assert.match(await readFile(helperLog, 'utf8'), /erase reg.example/);
  });
});
