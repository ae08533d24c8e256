import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildRunSkipReason,
  filesContaining,
  type GantryEnv,
  inspect,
  makeGantryEnv,
  mountsBelow,
} from './fixtures/build-run-cli.ts';

const skip = buildRunSkipReason();

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('gantry build: RUN --mount and --network', { skip }, () => {
  let env: GantryEnv;
  before(async () => {
    env = await makeGantryEnv('build-run-mounts');
  });
  after(async () => {
    await env?.dispose();
  });

  test('type=bind from the context (read-only by default; rw writes discarded) and from another stage', async () => {
    const out = join(env.dir, 'out-bind');
    const ctx = await env.context('bind', {
      'hello.txt': 'from the context\n',
      Dockerfile: `FROM busybox:latest AS other
RUN mkdir /od && echo from-stage > /od/o.txt
FROM busybox:latest
RUN --mount=type=bind,target=/ctx cat /ctx/hello.txt > /from-ctx && if touch /ctx/new 2>/dev/null; then echo writable; else echo read-only; fi > /ro
RUN --mount=type=bind,target=/ctx,rw echo changed > /ctx/hello.txt && touch /ctx/added && cat /ctx/hello.txt > /rw-seen
RUN --mount=type=bind,from=other,source=/od/o.txt,target=/o.txt cat /o.txt > /from-stage
RUN --mount=type=bind,from=other,source=/od,target=/od,rw echo changed > /od/o.txt
COPY --from=other /od/o.txt /other-after.txt
`,
    });
    const r = await env.gantry(['build', ctx, '--progress', 'plain', '-o', `type=local,dest=${out}`]);
    assert.equal(r.code, 0, r.stderr);
    const file = (p: string) => readFile(join(out, p), 'utf8');
    assert.equal(await file('from-ctx'), 'from the context\n');
    assert.equal(await file('ro'), 'read-only\n');
    assert.equal(await file('rw-seen'), 'changed\n');
    assert.equal(await file('from-stage'), 'from-stage\n');
    // rw writes went nowhere: not to the context, not to the other stage, not into the image.
    assert.equal(await readFile(join(ctx, 'hello.txt'), 'utf8'), 'from the context\n');
    await assert.rejects(lstat(join(ctx, 'added')), { code: 'ENOENT' });
    assert.equal(await file('other-after.txt'), 'from-stage\n');
    for (const p of ['ctx', 'o.txt', 'od']) await assert.rejects(lstat(join(out, p)), { code: 'ENOENT' }, p);
  });

  test('type=cache persists to the next build and is never in the image', async () => {
    const out1 = join(env.dir, 'out-cache1');
    const out2 = join(env.dir, 'out-cache2');
    const oci1 = join(env.dir, 'oci-cache1');
    // The first build writes a random token to the cache mount only; the second reads it back.
    const r1 = await env.gantry([
      'build',
      await env.context('cache1', {
        Dockerfile:
          "FROM busybox:latest\nRUN --mount=type=cache,target=/var/cache/t ls -A /var/cache/t > /before && head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \\n' > /var/cache/t/w\n",
      }),
      '--progress',
      'plain',
      '-t',
      'cache1',
      '-o',
      `type=oci,dest=${oci1},tar=false`,
      '-o',
      `type=local,dest=${out1}`,
    ]);
    assert.equal(r1.code, 0, r1.stderr);
    assert.equal(await readFile(join(out1, 'before'), 'utf8'), '');
    const r2 = await env.gantry([
      'build',
      await env.context('cache2', {
        Dockerfile:
          'FROM busybox:latest\nRUN --mount=type=cache,target=/var/cache/t cat /var/cache/t/w > /seen\n',
      }),
      '--progress',
      'plain',
      '-o',
      `type=local,dest=${out2}`,
    ]);
    assert.equal(r2.code, 0, r2.stderr);
    const token = await readFile(join(out2, 'seen'), 'utf8');
    assert.match(token, /^[0-9a-f]{32}$/);
    await assert.rejects(lstat(join(out1, 'var/cache/t')), { code: 'ENOENT' });
    await assert.rejects(lstat(join(out2, 'var/cache/t')), { code: 'ENOENT' });
    const hits = await filesContaining([oci1], Buffer.from(token));
    assert.deepEqual(hits, [], `cache content leaked into: ${hits.join(', ')}`);
  });

  test('type=tmpfs is a tmpfs and leaves nothing in the image', async () => {
    const out = join(env.dir, 'out-tmpfs');
    await env.build(
      'tmpfs',
      {
        Dockerfile:
          'FROM busybox:latest\nRUN --mount=type=tmpfs,target=/scratch echo x > /scratch/y && grep " /scratch " /proc/mounts | cut -d" " -f3 > /fstype\n',
      },
      ['-o', `type=local,dest=${out}`],
    );
    assert.equal(await readFile(join(out, 'fstype'), 'utf8'), 'tmpfs\n');
    await assert.rejects(lstat(join(out, 'scratch')), { code: 'ENOENT' });
  });

  test('type=secret from a file and from an env var: usable in RUN, in no byte of the store or exports', async () => {
    const fileSecret = `file-secret-${randomBytes(12).toString('hex')}`;
    const envSecret = `env-secret-${randomBytes(12).toString('hex')}`;
    const secretFile = join(env.dir, 'secret.txt');
    await writeFile(secretFile, fileSecret);
    const out = join(env.dir, 'out-secret');
    const oci = join(env.dir, 'oci-secret');
    const ctx = await env.context('secret', {
      Dockerfile: `FROM busybox:latest
RUN --mount=type=secret,id=s sha256sum /run/secrets/s | cut -d" " -f1 > /file-sum
RUN --mount=type=secret,id=s,target=/etc/app/token,mode=0400 ls -l /etc/app/token | cut -c1-10 > /mode && sha256sum /etc/app/token | cut -d" " -f1 > /target-sum
RUN --mount=type=secret,id=e,env=SEC printf %s "$SEC" | sha256sum | cut -d" " -f1 > /env-sum
`,
    });
    const r = await env.gantry(
      [
        'build',
        ctx,
        '--progress',
        'plain',
        '-t',
        'secrets',
        '--secret',
        `id=s,src=${secretFile}`,
        '--secret',
        'id=e,env=T2_SECRET',
        '-o',
        `type=local,dest=${out}`,
        '-o',
        `type=oci,dest=${oci},tar=false`,
        '-o',
        `type=oci,dest=${oci}.tar`,
      ],
      { env: { T2_SECRET: envSecret } },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(join(out, 'file-sum'), 'utf8'), `${sha256(fileSecret)}\n`);
    assert.equal(await readFile(join(out, 'target-sum'), 'utf8'), `${sha256(fileSecret)}\n`);
    assert.equal(await readFile(join(out, 'mode'), 'utf8'), '-r--------\n');
    assert.equal(await readFile(join(out, 'env-sum'), 'utf8'), `${sha256(envSecret)}\n`);
    for (const p of ['run/secrets', 'etc/app'])
      await assert.rejects(lstat(join(out, p)), { code: 'ENOENT' }, p);
    const img = await inspect(env, 'secrets');
    const text = JSON.stringify(img);
    assert.ok(!text.includes(fileSecret) && !text.includes(envSecret));
    // Store (blobs, config, history, cache records, tmp) and both OCI exports, gunzipped too.
    const unpackedTar = join(env.dir, 'oci-secret-tar');
    await mkdir(unpackedTar);
    execFileSync('tar', ['-xf', `${oci}.tar`, '-C', unpackedTar]);
    assert.ok((await readdir(join(unpackedTar, 'blobs/sha256'))).length >= 3);
    for (const secret of [fileSecret, envSecret]) {
      const hits = await filesContaining([env.store, oci, unpackedTar], Buffer.from(secret));
      assert.deepEqual(hits, [], `the secret is in ${hits.join(', ')}`);
    }
  });

  test('type=secret,required=true without the secret fails clearly, naming it', async () => {
    const ctx = await env.context('secret-missing', {
      Dockerfile:
        'FROM busybox:latest\nRUN --mount=type=secret,id=api-key,required=true cat /run/secrets/api-key\n',
    });
    const r = await env.gantry(['build', ctx, '--progress', 'plain']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /api-key/);
    assert.match(r.stderr, /E_EXEC_SECRET_MISSING/);
    assert.match(r.stderr, /--secret id=api-key/);
    assert.match(r.stderr, /Dockerfile:2/);
    // Not required and not given: the step runs without it.
    const ok = await env.gantry([
      'build',
      await env.context('secret-optional', {
        Dockerfile:
          'FROM busybox:latest\nRUN --mount=type=secret,id=api-key test ! -e /run/secrets/api-key\n',
      }),
      '--progress',
      'plain',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(mountsBelow(env.dir), []);
  });

  test('RUN --network=none sees only lo; gantry build --network none applies to every RUN', async () => {
    const links = "ip -o link | cut -d: -f2 | tr -d ' ' | sort | tr '\\n' ' '";
    const out = join(env.dir, 'out-net');
    await env.build(
      'net',
      {
        Dockerfile: `FROM busybox:latest\nRUN --network=none ${links} > /none\nRUN ${links} > /default\n`,
      },
      ['-o', `type=local,dest=${out}`],
    );
    assert.equal(await readFile(join(out, 'none'), 'utf8'), 'lo ');
    const hostHasMore = Object.keys(networkInterfaces()).some((n) => n !== 'lo');
    if (hostHasMore) assert.notEqual(await readFile(join(out, 'default'), 'utf8'), 'lo ');
    const outNone = join(env.dir, 'out-net-none');
    await env.build('net-flag', { Dockerfile: `FROM busybox:latest\nRUN ${links} > /flag\n` }, [
      '--network',
      'none',
      '-o',
      `type=local,dest=${outNone}`,
    ]);
    assert.equal(await readFile(join(outNone, 'flag'), 'utf8'), 'lo ');
  });

  test('gantry build --network none does not reuse a RUN cached from a host-network build', async () => {
    const files = { Dockerfile: 'FROM busybox:latest\nRUN ip -o link | wc -l > /links\n' };
    const outHost = join(env.dir, 'out-key-host');
    const outNone = join(env.dir, 'out-key-none');
    await env.build('net-key', files, ['-o', `type=local,dest=${outHost}`]);
    const r = await env.build('net-key', files, ['--network', 'none', '-o', `type=local,dest=${outNone}`]);
    assert.doesNotMatch(r.stderr, /CACHED/);
    assert.equal(await readFile(join(outNone, 'links'), 'utf8'), '1\n');
  });
});
