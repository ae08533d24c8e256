import assert from 'node:assert/strict';
import { lstat, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildRunSkipReason,
  type GantryEnv,
  makeGantryEnv,
  mountsBelow,
  runcIds,
} from './fixtures/build-run-cli.ts';
import { makeBusyboxRootfs } from './fixtures/busybox-rootfs.ts';

const skip = buildRunSkipReason();

/** Every path below `dir` with its content (files) or target (symlinks): a host-side fingerprint. */
async function snapshotTree(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (d: string, rel: string) => {
    for (const name of (await readdir(d)).sort()) {
      const p = join(d, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(p);
      if (st.isDirectory()) {
        out[r] = 'dir';
        await walk(p, r);
      } else if (st.isFile()) out[r] = `file:${await readFile(p, 'utf8')}`;
      else out[r] = `other:${st.mode}`;
    }
  };
  await walk(dir, '');
  return out;
}

describe('gantry build: RUN escapes fail or stay inside the rootfs', { skip }, () => {
  let env: GantryEnv;
  let host: string;
  let before0: Record<string, string>;

  before(async () => {
    env = await makeGantryEnv('build-run-escapes');
    // A host directory every escape aims at; it must never change.
    host = join(env.dir, 'host-target');
    await mkdir(join(host, 'sub'), { recursive: true });
    await writeFile(join(host, 'marker'), 'original\n');
    before0 = await snapshotTree(host);
  });
  after(async () => {
    await env?.dispose();
  });

  async function assertHostUntouched(): Promise<void> {
    assert.deepEqual(await snapshotTree(host), before0);
    assert.deepEqual(mountsBelow(env.dir), []);
    assert.deepEqual(mountsBelow(host), []);
  }

  test('an image whose /dev is a symlink to a host path: writes to /dev stay in the container', async () => {
    const rootfs = join(env.dir, 'evil-rootfs');
    await makeBusyboxRootfs(rootfs, { withMountPoints: true });
    await rm(join(rootfs, 'dev'), { recursive: true });
    await symlink(host, join(rootfs, 'dev'));
    const imp = await env.gantry(['import', rootfs, '-t', 'evil-dev:latest', '--change', 'ENV PATH=/bin']);
    assert.equal(imp.code, 0, imp.stderr);
    const out = join(env.dir, 'out-dev');
    const ctx = await env.context('evil-dev', {
      Dockerfile: `FROM evil-dev:latest
RUN echo pwned > /dev/pwned; echo pwned > /dev/marker; mkdir -p /dev/sub/x; test -c /dev/null && echo null-ok > /null-ok
`,
    });
    const r = await env.gantry(['build', ctx, '--progress', 'plain', '-o', `type=local,dest=${out}`]);
    await assertHostUntouched();
    // It may build (runc gives the container its own /dev) or fail clearly; here it builds.
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(join(out, 'null-ok'), 'utf8'), 'null-ok\n');
    // The local export keeps /dev a symlink and writes nothing through it.
    assert.ok((await lstat(join(out, 'dev'))).isSymbolicLink());
    await assertHostUntouched();
  });

  test('a RUN writing through a symlink that points outside its rootfs writes inside it', async () => {
    const out = join(env.dir, 'out-link');
    const ctx = await env.context('link-out', {
      Dockerfile: `FROM busybox:latest
RUN ln -s ${host} /x && (echo bad > /x/f || true) && mkdir -p ${host} && echo inside > /x/f && ln -s ${host}/marker /m && echo bad > /m
RUN ln -s ${host}/sub /y
RUN --mount=type=tmpfs,target=/y/t --mount=type=bind,target=/x/ctx echo t > /y/t/f
WORKDIR /x/sub/wd
RUN touch made-here
`,
    });
    const r = await env.gantry(['build', ctx, '--progress', 'plain', '-o', `type=local,dest=${out}`]);
    assert.equal(r.code, 0, r.stderr);
    await assertHostUntouched();
    // The writes landed at the symlink targets inside the image.
    assert.equal(await readFile(join(out, host, 'f'), 'utf8'), 'inside\n');
    assert.equal(await readFile(join(out, host, 'marker'), 'utf8'), 'bad\n');
    assert.ok((await lstat(join(out, 'x'))).isSymbolicLink());
  });

  for (const [name, line] of [
    ['the context', 'RUN --mount=type=bind,source=esc,target=/m cat /m/marker'],
    ['the context (a file below)', 'RUN --mount=type=bind,source=esc/marker,target=/m cat /m'],
    ['another stage', 'RUN --mount=type=bind,from=other,source=/lk,target=/m cat /m/marker'],
  ] as const) {
    test(`a bind mount source in ${name} that is a symlink to a host path does not reach the host`, async () => {
      const ctx = await env.context('bind-link', {
        Dockerfile: `FROM busybox:latest AS other\nRUN ln -s ${host} /lk\nFROM busybox:latest\n${line}\n`,
      });
      await symlink(host, join(ctx, 'esc'));
      const r = await env.gantry(['build', ctx, '--progress', 'plain']);
      assert.doesNotMatch(r.stderr + r.stdout, /original/, 'the host file was read');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /E_EXEC_MOUNT_SOURCE/);
      await assertHostUntouched();
    });
  }

  for (const wd of ['/proc/self/fd/3', '/proc/self/cwd', '/proc/1/root', '/sys/kernel']) {
    test(`WORKDIR ${wd} is refused`, async () => {
      const ctx = await env.context('wd-proc', {
        Dockerfile: `FROM busybox:latest\nWORKDIR ${wd}\nRUN echo escaped > escaped-file\n`,
      });
      const run = env.start(['build', ctx, '--progress', 'plain']);
      const r = await run.done;
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /E_EXEC_BAD_WORKDIR/);
      assert.match(r.stderr, /kernel file system/);
      assert.match(r.stderr, /Dockerfile:3/);
      assert.deepEqual(mountsBelow(env.dir), []);
      assert.deepEqual(
        runcIds().filter((id) => id.startsWith(`gantry-${run.child.pid}-`)),
        [],
      );
    });
  }

  test('a cwd reached through a symlink into /proc is refused too', async () => {
    // The image has a plain /proc/self/fd/3 directory (under runc's procfs at run time) and a
    // symlink /fds -> /proc/self/fd, so WORKDIR /fds/3 exists and makes no layer.
    const ctx = await env.context('wd-link', {
      'three/keep': 'x',
      Dockerfile:
        'FROM busybox:latest\nCOPY three/ /proc/self/fd/3/\nRUN ln -s /proc/self/fd /fds\nWORKDIR /fds/3\nRUN echo escaped > escaped-file\n',
    });
    const r = await env.gantry(['build', ctx, '--progress', 'plain']);
    assert.notEqual(r.code, 0, r.stderr);
    assert.match(r.stderr, /E_EXEC_BAD_WORKDIR/);
    assert.match(r.stderr, /resolves to \/proc\/self\/fd\/3/);
    await assertHostUntouched();
  });

  test('WORKDIR through a dangling symlink is made at the link target, keeping the link', async () => {
    const out = join(env.dir, 'out-dangling');
    const r = await env.gantry([
      'build',
      await env.context('wd-dangling', {
        Dockerfile: 'FROM busybox:latest\nRUN ln -s /nowhere/real /dl\nWORKDIR /dl/w\nRUN touch here\n',
      }),
      '--progress',
      'plain',
      '-o',
      `type=local,dest=${out}`,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await lstat(join(out, 'dl'))).isSymbolicLink(), '/dl is still a symlink');
    assert.ok((await lstat(join(out, 'nowhere/real/w/here'))).isFile());
  });
});
