import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isGantryError } from '../../src/errors/gantry-error.ts';
import {
  login,
  pullImage,
  pushImage,
  resolveCredentials,
  staticCredentials,
} from '../../src/registry/index.ts';
import { makeImage } from '../../src/registry/testing/make-image.ts';
import {
  haveProgram,
  openTestStore,
  type RegistryServer,
  registrySkipReason,
  startRegistry,
} from './fixtures/registry-server.ts';

const skip =
  registrySkipReason() ?? (haveProgram('htpasswd') ? undefined : 'htpasswd (apache2-utils) not installed');
const PASSWORD = 'correct-horse-battery';

describe('registry auth against docker-registry', { skip }, () => {
  let work: string;
  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'gantry-reg-auth-'));
  });
  after(async () => {
    await rm(work, { recursive: true, force: true });
  });
  const store = async (name: string) => (await openTestStore(await mkdtemp(join(work, `${name}-`)))).blobs;

  describe('htpasswd Basic auth', () => {
    let reg: RegistryServer;
    before(async () => {
      reg = await startRegistry({ kind: 'htpasswd', users: { alice: PASSWORD } });
    });
    after(async () => reg?.close());

    it('anonymous access is a clear auth error', async () => {
      await assert.rejects(pullImage({ ref: `${reg.host}/a/b:1`, blobs: await store('anon') }), (e) => {
        assert.ok(isGantryError(e, 'E_REGISTRY_AUTH'), String(e));
        assert.match(e.message, new RegExp(reg.host));
        assert.match(e.hint ?? '', /gantry login/);
        return true;
      });
    });

    it('a wrong password fails clearly without the password in the error', async () => {
      const src = await store('src');
      const img = await makeImage(src, { layers: 1 });
      const credentials = staticCredentials({
        [reg.host]: { username: 'alice', password: 'wrong-password-xyz' },
      });
      await assert.rejects(
        pushImage({ ref: `${reg.host}/a/b:1`, blobs: src, manifest: img.manifest, credentials }),
        (e) => {
          assert.ok(isGantryError(e, 'E_REGISTRY_AUTH'), String(e));
          const all = `${e.message} ${e.hint} ${e.stack}`;
          assert.ok(!all.includes('wrong-password-xyz'), all);
          assert.ok(!all.includes(Buffer.from('alice:wrong-password-xyz').toString('base64')), all);
          return true;
        },
      );
    });

    it('logs in, saves the login, and pushes and pulls with it', async () => {
      const loc = { env: { DOCKER_CONFIG: join(work, 'docker') }, home: work };
      await assert.rejects(login(reg.host, 'alice', 'nope-nope', loc), (e) =>
        isGantryError(e, 'E_REGISTRY_AUTH'),
      );
      await login(reg.host, 'alice', PASSWORD, loc);
      const saved = JSON.parse(await readFile(join(work, 'docker', 'config.json'), 'utf8'));
      assert.equal(saved.auths[reg.host].auth, Buffer.from(`alice:${PASSWORD}`).toString('base64'));
      const credentials = (host: string) => resolveCredentials(host, loc);
      const src = await store('src');
      const img = await makeImage(src, { layers: 2 });
      await pushImage({ ref: `${reg.host}/a/b:1`, blobs: src, manifest: img.manifest, credentials });
      const dst = await store('dst');
      const pulled = await pullImage({
        ref: `${reg.host}/a/b:1`,
        blobs: dst,
        credentials,
        platform: 'linux/amd64',
      });
      assert.equal(pulled.manifest.digest, img.manifest.digest);
    });
  });

  describe('token auth', () => {
    let reg: RegistryServer;
    before(async () => {
      reg = await startRegistry({ kind: 'token', users: { bob: PASSWORD }, anonymousPull: true });
    });
    after(async () => reg?.close());

    it('gets a push token with credentials, then pulls anonymously with a pull token', async () => {
      const src = await store('src');
      const img = await makeImage(src, { layers: 2 });
      const credentials = staticCredentials({ [reg.host]: { username: 'bob', password: PASSWORD } });
      await pushImage({ ref: `${reg.host}/team/app:1`, blobs: src, manifest: img.manifest, credentials });
      const pushTokens = reg.tokenRequests.filter((r) => r.user === 'bob');
      assert.ok(
        pushTokens.some((r) => r.scopes.includes('repository:team/app:pull,push')),
        JSON.stringify(reg.tokenRequests),
      );
      assert.equal(
        pushTokens.length,
        1,
        `token shared and cached across requests: ${pushTokens.length} token requests`,
      );

      const dst = await store('dst');
      const pulled = await pullImage({ ref: `${reg.host}/team/app:1`, blobs: dst, platform: 'linux/amd64' });
      assert.equal(pulled.manifest.digest, img.manifest.digest);
      assert.ok(
        reg.tokenRequests.some((r) => r.user === undefined && r.scopes.includes('repository:team/app:pull')),
      );
    });

    it('an anonymous push is refused with E_REGISTRY_AUTH', async () => {
      const src = await store('src');
      const img = await makeImage(src, { layers: 1 });
      await assert.rejects(
        pushImage({ ref: `${reg.host}/team/anon:1`, blobs: src, manifest: img.manifest }),
        (e) => isGantryError(e, 'E_REGISTRY_AUTH'),
      );
    });

    it('a wrong password is refused by the token server, without the password in the error', async () => {
      const dst = await store('dst');
      const credentials = staticCredentials({
        [reg.host]: { username: 'bob', password: 'not-the-password' },
      });
      await assert.rejects(pullImage({ ref: `${reg.host}/team/app:1`, blobs: dst, credentials }), (e) => {
        assert.ok(isGantryError(e, 'E_REGISTRY_AUTH'), String(e));
        assert.ok(!`${e.message} ${e.hint}`.includes('not-the-password'));
        return true;
      });
    });
  });
});
