import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import { type FetchImpl, RegistryClient } from './registry-client.ts';

interface Seen {
  url: string;
  method: string;
  auth: string | null;
}

/** A scripted fetch: routes by `host + pathname`; records every call. */
function fakeFetch(
  routes: Record<string, (url: URL, init: RequestInit, n: number) => Response | Promise<Response>>,
) {
  const seen: Seen[] = [];
  const counts = new Map<string, number>();
  const impl = (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    const headers = new Headers(init.headers);
    seen.push({ url: url.toString(), method: init.method ?? 'GET', auth: headers.get('authorization') });
    const key = `${url.protocol}//${url.host}${url.pathname}`;
    const route = routes[key];
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    if (route === undefined)
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    return route(url, init, n);
  }) as FetchImpl;
  return { impl, seen };
}

const bearer = (realm: string) =>
  new Response('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', {
    status: 401,
    headers: { 'WWW-Authenticate': `Bearer realm="${realm}",service="reg.test"` },
  });

const noSleep = async () => {};

describe('RegistryClient auth', () => {
  it('gets a bearer token for the scope with Basic credentials, caches it until it expires', async () => {
    let now = 1_000_000;
    let tokens = 0;
    const f = fakeFetch({
      'https://reg.test/v2/': () => bearer('https://auth.test/token'),
      'https://auth.test/token': (url, init) => {
        tokens++;
        assert.equal(url.searchParams.get('service'), 'reg.test');
        assert.deepEqual(url.searchParams.getAll('scope'), ['repository:a/b:pull']);
        assert.equal(
          new Headers(init.headers).get('authorization'),
          `Basic ${Buffer.from('u:pw-secret').toString('base64')}`,
        );
        return Response.json({ token: `T${tokens}`, expires_in: 60 });
      },
      'https://reg.test/v2/a/b/manifests/1': (_u, init) =>
        new Headers(init.headers).get('authorization') === `Bearer T${tokens}`
          ? new Response('{}')
          : bearer('https://auth.test/token'),
    });
    const c = new RegistryClient({
      host: 'reg.test',
      fetchImpl: f.impl,
      credentials: async () => ({ username: 'u', password: 'pw-secret' }),
      now: () => now,
      sleep: noSleep,
    });
    const req = {
      method: 'GET',
      path: '/v2/a/b/manifests/1',
      scopes: ['repository:a/b:pull'],
      what: 'm',
    } as const;
    assert.equal((await c.request(req)).status, 200);
    assert.equal((await c.request(req)).status, 200);
    assert.equal(tokens, 1, 'second request reuses the cached token');
    now += 61_000;
    assert.equal((await c.request(req)).status, 200);
    assert.equal(tokens, 2, 'an expired token is not reused');
  });

  it('answers a Basic challenge with the credentials; a refusal names the host, never the password', async () => {
    const f = fakeFetch({
      'https://reg.test/v2/': () =>
        new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
      'https://reg.test/v2/a/manifests/1': () =>
        new Response('{"errors":[{"code":"UNAUTHORIZED","message":"bad pw-secret"}]}', {
          status: 401,
          headers: { 'WWW-Authenticate': 'Basic realm="r"' },
        }),
    });
    const c = new RegistryClient({
      host: 'reg.test',
      fetchImpl: f.impl,
      credentials: async () => ({ username: 'u', password: 'pw-secret' }),
      sleep: noSleep,
    });
    const res = await c.request({
      method: 'GET',
      path: '/v2/a/manifests/1',
      scopes: [],
      what: 'manifest reg.test/a:1',
    });
    await assert.rejects(res.fail(), (e: unknown) => {
      assert.ok(isGantryError(e, 'E_REGISTRY_AUTH'));
      assert.match(e.message, /manifest reg\.test\/a:1.*https:\/\/reg\.test\/v2\/a\/manifests\/1/);
      assert.ok(!e.message.includes('pw-secret'), e.message);
      return true;
    });
    assert.ok(f.seen.some((s) => s.auth?.startsWith('Basic ')));
  });

  it('without credentials, a Basic challenge is a clear login error', async () => {
    const f = fakeFetch({
      'https://reg.test/v2/': () =>
        new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
      'https://reg.test/v2/a/manifests/1': () =>
        new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
    });
    const c = new RegistryClient({ host: 'reg.test', fetchImpl: f.impl, sleep: noSleep });
    await assert.rejects(
      c.request({ method: 'GET', path: '/v2/a/manifests/1', scopes: [], what: 'x' }),
      (e) =>
        isGantryError(e, 'E_REGISTRY_AUTH') &&
        /requires a login/.test(e.message) &&
        /gantry login reg\.test/.test(e.hint ?? ''),
    );
  });

  it('a token server refusal is E_REGISTRY_AUTH', async () => {
    const f = fakeFetch({
      'https://reg.test/v2/': () => bearer('https://auth.test/token'),
      'https://auth.test/token': () => new Response('no', { status: 401 }),
    });
    const c = new RegistryClient({
      host: 'reg.test',
      fetchImpl: f.impl,
      sleep: noSleep,
      credentials: async () => ({ username: 'u', password: 'zzzz' }),
    });
    await assert.rejects(
      c.request({ method: 'GET', path: '/v2/a/manifests/1', scopes: ['repository:a:pull'], what: 'x' }),
      (e) =>
        isGantryError(e, 'E_REGISTRY_AUTH') &&
        /refused the credentials/.test(e.message) &&
        !e.message.includes('zzzz'),
    );
  });
});

describe('RegistryClient transport', () => {
  it('drops Authorization on a redirect to another host and keeps it on the same host', async () => {
    const f = fakeFetch({
      'https://reg.test/v2/': () =>
        new Response('', { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="r"' } }),
      'https://reg.test/v2/a/blobs/x': () =>
        new Response(null, { status: 307, headers: { Location: '/v2/a/blobs/y' } }),
      'https://reg.test/v2/a/blobs/y': () =>
        new Response(null, { status: 302, headers: { Location: 'https://cdn.test/b?sig=1' } }),
      'https://cdn.test/b': () => new Response('data'),
    });
    const c = new RegistryClient({
      host: 'reg.test',
      fetchImpl: f.impl,
      sleep: noSleep,
      credentials: async () => ({ username: 'u', password: 'p' }),
    });
    const res = await c.request({ method: 'GET', path: '/v2/a/blobs/x', scopes: [], what: 'x' });
    assert.equal(await res.text(), 'data');
    const byPath = (p: string) => f.seen.find((s) => s.url.includes(p));
    assert.match(byPath('/v2/a/blobs/y')?.auth ?? '', /^Basic /);
    assert.equal(byPath('cdn.test')?.auth, null);
  });

  it('refuses a redirect from https to plain http on a non-loopback host', async () => {
    const f = fakeFetch({
      'https://reg.test/v2/': () => new Response('{}'),
      'https://reg.test/v2/a/blobs/x': () =>
        new Response(null, { status: 307, headers: { Location: 'http://cdn.test/b' } }),
    });
    const c = new RegistryClient({ host: 'reg.test', fetchImpl: f.impl, sleep: noSleep });
    await assert.rejects(c.request({ method: 'GET', path: '/v2/a/blobs/x', scopes: [], what: 'x' }), (e) =>
      isGantryError(e, 'E_REGISTRY_INSECURE'),
    );
  });

  it('retries 503 and connection errors, then succeeds', async () => {
    let sleeps = 0;
    const f = fakeFetch({
      'https://reg.test/v2/': () => new Response('{}'),
      'https://reg.test/v2/a/manifests/1': (_u, _i, n) => {
        if (n === 1) return new Response('busy', { status: 503 });
        if (n === 2) throw new TypeError('fetch failed');
        return new Response('ok');
      },
    });
    const c = new RegistryClient({ host: 'reg.test', fetchImpl: f.impl, sleep: async () => void sleeps++ });
    const res = await c.request({ method: 'GET', path: '/v2/a/manifests/1', scopes: [], what: 'x' });
    assert.equal(await res.text(), 'ok');
    assert.equal(sleeps, 2);
  });

  it('gives up after the retries with a coded error', async () => {
    const f = fakeFetch({
      'https://reg.test/v2/': () => new Response('{}'),
      'https://reg.test/v2/a/manifests/1': () => new Response('busy', { status: 500 }),
    });
    const c = new RegistryClient({ host: 'reg.test', fetchImpl: f.impl, sleep: noSleep, retries: 2 });
    const res = await c.request({
      method: 'GET',
      path: '/v2/a/manifests/1',
      scopes: [],
      what: 'manifest a:1',
    });
    await assert.rejects(
      res.fail(),
      (e) => isGantryError(e, 'E_REGISTRY_UNAVAILABLE') && /HTTP 500/.test(e.message),
    );
    assert.equal(f.seen.filter((s) => s.url.endsWith('/manifests/1')).length, 3);
  });

  const untrusted = () => {
    throw new TypeError('fetch failed', {
      cause: Object.assign(new Error('self-signed certificate in certificate chain'), {
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
      }),
    });
  };

  it('an untrusted certificate on loopback is reported as such, not as the plain-HTTP refusal after it', async () => {
    const f = fakeFetch({
      'https://127.0.0.1:5000/v2/': untrusted,
      'http://127.0.0.1:5000/v2/': () =>
        new Response('Client sent an HTTP request to an HTTPS server.', { status: 400 }),
    });
    const c = new RegistryClient({ host: '127.0.0.1:5000', fetchImpl: f.impl, sleep: noSleep });
    await assert.rejects(
      c.request({ method: 'GET', path: '/v2/a/manifests/1', scopes: [], what: 'x' }),
      (e) =>
        isGantryError(e, 'E_REGISTRY_UNREACHABLE') &&
        /https:\/\/127\.0\.0\.1:5000\/v2\/: its TLS certificate is not trusted \(SELF_SIGNED_CERT_IN_CHAIN/.test(
          e.message,
        ) &&
        /NODE_EXTRA_CA_CERTS/.test(e.hint ?? ''),
    );
    assert.ok(!f.seen.some((s) => s.url.includes('/manifests/')), 'nothing sent after the ping failed');
  });

  it('an untrusted certificate on a public host names the certificate; a loopback registry on plain HTTP still works', async () => {
    const pub = fakeFetch({ 'https://reg.test/v2/': untrusted });
    const c = new RegistryClient({ host: 'reg.test', fetchImpl: pub.impl, sleep: noSleep });
    await assert.rejects(
      c.ping(),
      (e) => isGantryError(e, 'E_REGISTRY_UNREACHABLE') && /not trusted/.test(e.message),
    );
    const plain = fakeFetch({ 'http://127.0.0.1:5000/v2/': () => new Response('{}') });
    const p = new RegistryClient({ host: '127.0.0.1:5000', fetchImpl: plain.impl, sleep: noSleep });
    await p.ping();
    assert.equal(plain.seen.at(-1)?.url, 'http://127.0.0.1:5000/v2/');
  });

  it('an unreachable registry is E_REGISTRY_UNREACHABLE naming the URL', async () => {
    const f = fakeFetch({});
    const c = new RegistryClient({ host: 'reg.test', fetchImpl: f.impl, sleep: noSleep, retries: 1 });
    await assert.rejects(
      c.request({ method: 'GET', path: '/v2/a/manifests/1', scopes: [], what: 'x' }),
      (e) =>
        isGantryError(e, 'E_REGISTRY_UNREACHABLE') &&
        /https:\/\/reg\.test\/v2\//.test(e.message) &&
        /ECONNREFUSED/.test(e.message),
    );
    assert.ok(
      f.seen.every((s) => s.url.startsWith('https:')),
      'never plain HTTP for a public host',
    );
  });

  it('falls back to plain HTTP only for loopback and insecure registries', async () => {
    for (const [host, insecure] of [
      ['localhost:5000', []],
      ['127.0.0.9:5000', []],
      ['reg.lan', ['reg.lan']],
    ] as const) {
      const f = fakeFetch({
        [`http://${host}/v2/`]: () => new Response('{}'),
        [`http://${host}/v2/a`]: () => new Response('ok'),
      });
      const c = new RegistryClient({ host, fetchImpl: f.impl, sleep: noSleep, insecureRegistries: insecure });
      const res = await c.request({ method: 'GET', path: '/v2/a', scopes: [], what: 'x' });
      assert.equal(await res.text(), 'ok');
      assert.ok(f.seen[0]?.url.startsWith('https:'), 'https is tried first');
    }
  });

  it('times out a stalled body with E_REGISTRY_TIMEOUT', async () => {
    const f = fakeFetch({
      'https://reg.test/v2/': () => new Response('{}'),
      'https://reg.test/v2/a/blobs/x': (_u, init) =>
        new Response(
          new ReadableStream({
            start(ctl) {
              ctl.enqueue(new Uint8Array([1, 2]));
              init.signal?.addEventListener('abort', () => ctl.error(init.signal?.reason));
            },
          }),
        ),
    });
    const c = new RegistryClient({ host: 'reg.test', fetchImpl: f.impl, sleep: noSleep, timeoutMs: 20 });
    const res = await c.request({ method: 'GET', path: '/v2/a/blobs/x', scopes: [], what: 'blob x' });
    await assert.rejects(
      res.bytes(),
      (e) => isGantryError(e, 'E_REGISTRY_TIMEOUT') && /blob x/.test(e.message),
    );
  });
});
