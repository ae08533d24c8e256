import assert from 'node:assert/strict';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildRunSkipReason,
  type GantryEnv,
  type Inspected,
  inspect,
  makeGantryEnv,
  mountsBelow,
} from './fixtures/build-run-cli.ts';

const skip = buildRunSkipReason();

/** One build exercising RUN forms, SHELL, USER, WORKDIR, ENV/ARG and heredocs. */
const DOCKERFILE = `ARG GLOBAL_HIDDEN=global-h
ARG GLOBAL_SHOWN=global-s
FROM busybox:latest
ARG STEP_ARG=arg-value
ARG GLOBAL_SHOWN
ENV STEP_ENV=env-value
RUN echo shell-form > /shell.txt && echo "a=$STEP_ARG e=$STEP_ENV h=[$GLOBAL_HIDDEN] s=$GLOBAL_SHOWN" > /vars.txt
RUN ["/bin/busybox", "sh", "-c", "echo exec:$1 > /exec.txt", "zero", "$HOME"]
SHELL ["/bin/sh", "-ec"]
RUN echo "$0 flags=$-" > /shell.txt
USER user
RUN touch /tmp/by-name && id -u > /tmp/id-name && echo "$HOME" > /tmp/home-name
USER 1000:2000
RUN touch /tmp/by-uid && id > /tmp/id-uid
USER root
WORKDIR /made/here
RUN pwd > where.txt
WORKDIR sub
RUN pwd > where.txt
RUN <<EOT
echo first > /heredoc.txt
echo second >> /heredoc.txt
EOT
RUN <<'EOT'
#!/bin/sh -e
echo "script=$0 shell=$(readlink /proc/$$/exe)" > /script.txt
EOT
`;

describe('gantry build: RUN basics', { skip }, () => {
  let env: GantryEnv;
  let out: string;
  let img: Inspected;
  const file = (p: string) => readFile(join(out, p), 'utf8');

  before(async () => {
    env = await makeGantryEnv('build-run-basics');
    out = join(env.dir, 'out');
    await env.build('basics', { Dockerfile: DOCKERFILE }, ['-t', 'basics', '-o', `type=local,dest=${out}`]);
    img = await inspect(env, 'basics');
  });
  after(async () => {
    await env?.dispose();
  });

  test('shell form runs through /bin/sh -c; exec form runs argv without a shell', async () => {
    assert.equal(await file('exec.txt'), 'exec:$HOME\n');
    const history = img.config.history.map((h) => h.created_by ?? '');
    assert.ok(
      history.some((h) => h.includes('/bin/sh -c echo shell-form')),
      history.join('\n'),
    );
  });

  test('SHELL ["/bin/sh","-ec"] is used by later RUNs', async () => {
    // The later RUN overwrote shell.txt: $0 is /bin/sh and the shell has -e set.
    const t = await file('shell.txt');
    assert.match(t, /^\/bin\/sh flags=\w*e\w*\n$/);
    assert.deepEqual(img.config.config.Shell, ['/bin/sh', '-ec']);
  });

  test('ENV and ARG are visible to RUN; ARG stays out of the config; an undeclared global ARG is invisible', async () => {
    assert.equal(await file('vars.txt'), 'a=arg-value e=env-value h=[] s=global-s\n');
    const envs = img.config.config.Env ?? [];
    assert.ok(envs.includes('STEP_ENV=env-value'));
    assert.ok(!envs.some((e) => e.startsWith('STEP_ARG=') || e.startsWith('GLOBAL_')), envs.join(' '));
  });

  test('USER by name and by uid:gid: the RUN runs as that user and its files are owned so', async () => {
    assert.equal(await file('tmp/id-name'), '1000\n');
    assert.equal(await file('tmp/home-name'), '/home/user\n');
    assert.match(await file('tmp/id-uid'), /^uid=1000\(user\) gid=2000\(extra\)/);
    const byName = await lstat(join(out, 'tmp/by-name'));
    assert.deepEqual([byName.uid, byName.gid], [1000, 1000]);
    const byUid = await lstat(join(out, 'tmp/by-uid'));
    assert.deepEqual([byUid.uid, byUid.gid], [1000, 2000]);
    assert.equal(img.config.config.User, 'root');
  });

  test('WORKDIR creates a missing directory; a relative WORKDIR is below the previous one', async () => {
    assert.ok((await lstat(join(out, 'made/here'))).isDirectory());
    assert.equal(await file('made/here/where.txt'), '/made/here\n');
    assert.equal(await file('made/here/sub/where.txt'), '/made/here/sub\n');
    assert.equal(img.config.config.WorkingDir, '/made/here/sub');
  });

  test('heredoc RUN: a multi-line body, and a #! script run by its interpreter', async () => {
    assert.equal(await file('heredoc.txt'), 'first\nsecond\n');
    assert.match(await file('script.txt'), /^script=\/dev\/pipes\/EOT shell=\/bin\/busybox\n$/);
    // The script file itself is not part of the image.
    await assert.rejects(lstat(join(out, 'dev/pipes')), { code: 'ENOENT' });
  });

  test('no mount is left under the test directory after the build', () => {
    assert.deepEqual(mountsBelow(env.dir), []);
  });

  test('views of several layers (COPY --from a stage, COPY onto a stack) are unmounted and removed by the end', async () => {
    const ctx = await env.context('views', {
      Dockerfile: [
        'FROM busybox:latest AS tool',
        'RUN echo one > /one',
        'RUN echo two > /two',
        'FROM busybox:latest',
        'RUN echo base > /base',
        'COPY --from=tool /one /two /got/',
        'COPY note.txt /got/',
        '',
      ].join('\n'),
      'note.txt': 'note\n',
    });
    const dest = join(env.dir, 'views-out');
    const r = await env.gantry(['build', ctx, '--progress', 'plain', '-o', `type=local,dest=${dest}`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(join(dest, 'got/two'), 'utf8'), 'two\n');
    assert.equal(await readFile(join(dest, 'got/note.txt'), 'utf8'), 'note\n');
    assert.deepEqual(mountsBelow(env.dir), []);
    assert.deepEqual(
      (await readdir(join(env.store, 'tmp'))).filter((n) => n.startsWith('view-')),
      [],
      'no view directory is left in the store',
    );
  });

  test('RUN exit 3: gantry exits non-zero naming the exit code, with the line frame and the last output', async () => {
    const ctx = await env.context('fails', {
      Dockerfile:
        'FROM busybox:latest\nRUN echo fine\nRUN echo last-words-1 && echo last-words-2 >&2 && exit 3\nRUN echo never\n',
    });
    const r = await env.gantry(['build', ctx, '--progress', 'plain']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /exit code: 3/);
    assert.match(r.stderr, /Dockerfile:3/);
    assert.match(r.stderr, />>> RUN echo last-words-1/);
    assert.match(r.stderr, /\|\s+last-words-1/);
    assert.match(r.stderr, /\|\s+last-words-2/);
    assert.match(r.stderr, /E_RUN_FAILED/);
    assert.doesNotMatch(r.stderr, /^#\d+ never$/m, 'the build stops at the failing step');
    assert.deepEqual(mountsBelow(env.dir), []);
  });
});
