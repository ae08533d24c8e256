/**
 * Issue 3: metadata instructions (no RUN) land in the image config and history as BuildKit
 * writes them; ENTRYPOINT resets an inherited CMD; ONBUILD is stored and triggered by a later
 * build FROM the image and by FROM <stage>.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  buildSkipReason,
  busyboxWorkspace,
  type Gantry,
  readTree,
  STDPATH,
  writeTree,
} from './fixtures/build-helpers.ts';

const skip = buildSkipReason();

let work: { dir: string; cleanup: () => Promise<void> };
let g: Gantry;
let ctx: string;

const META = `FROM busybox AS meta
ARG VERSION=1.0
ENV APP=demo VERSION=$VERSION
LABEL org.example.version=$VERSION "other.label"="x y"
WORKDIR /app
USER user:extra
EXPOSE 8080/tcp 53/udp
VOLUME ["/data"]
ENTRYPOINT ["/bin/sh","-c"]
CMD ["echo hi"]
SHELL ["/bin/sh","-ec"]
STOPSIGNAL SIGINT
HEALTHCHECK --interval=5s --timeout=2s --retries=3 CMD true
ONBUILD COPY a.txt /onbuild-a.txt
ONBUILD ENV TRIGGERED=yes
`;

describe('issue 3: metadata instructions', { skip }, () => {
  before(async () => {
    ({ work, g } = await busyboxWorkspace('meta'));
    ctx = join(work.dir, 'ctx');
    await writeTree(ctx, {
      Dockerfile: META,
      'a.txt': 'alpha\n',
      'b.txt': 'beta\n',
      'Dockerfile.child': 'FROM meta:1\nCOPY b.txt /b.txt\n',
      'Dockerfile.stages': `${META}\nFROM meta AS child\nCOPY b.txt /b.txt\n\nFROM busybox AS ep\nENTRYPOINT ["/bin/echo"]\n\nFROM busybox AS epcmd\nENTRYPOINT ["/bin/echo"]\nCMD ["x"]\n`,
    });
    g.ok(['build', '-q', '--build-arg', 'VERSION=2.0', '-t', 'meta:1', ctx]);
  });
  after(async () => {
    await work?.cleanup();
  });

  test('every metadata instruction is in the config', () => {
    const img = g.inspect('meta:1');
    assert.deepEqual(img.config.config, {
      ArgsEscaped: true,
      Cmd: ['echo hi'],
      Entrypoint: ['/bin/sh', '-c'],
      Env: [`PATH=${STDPATH}`, 'APP=demo', 'VERSION=2.0'],
      ExposedPorts: { '53/udp': {}, '8080/tcp': {} },
      Healthcheck: {
        Interval: 5_000_000_000,
        Retries: 3,
        StartInterval: 0,
        StartPeriod: 0,
        Test: ['CMD-SHELL', 'true'],
        Timeout: 2_000_000_000,
      },
      Labels: { 'org.example.version': '2.0', 'other.label': 'x y' },
      OnBuild: ['COPY a.txt /onbuild-a.txt', 'ENV TRIGGERED=yes'],
      Shell: ['/bin/sh', '-ec'],
      StopSignal: 'SIGINT',
      User: 'user:extra',
      Volumes: { '/data': {} },
      WorkingDir: '/app',
    });
    // The ARG's value is not in the environment of the image.
    assert.ok(!(img.config.config?.Env ?? []).some((e) => e.startsWith('VERSION=1.0')));
  });

  test('history: one entry per instruction, empty_layer for config-only ones', () => {
    const img = g.inspect('meta:1');
    const base = g.inspect('busybox:latest');
    const own = (img.config.history ?? []).slice((base.config.history ?? []).length);
    assert.deepEqual(
      own.map((h) => [h.created_by, h.empty_layer === true]),
      [
        ['ARG VERSION=2.0', true],
        ['ENV APP=demo VERSION=2.0', true],
        ['LABEL org.example.version=2.0 other.label=x y', true],
        ['WORKDIR /app', false],
        ['USER user:extra', true],
        ['EXPOSE [53/udp 8080/tcp]', true],
        ['VOLUME [/data]', true],
        ['ENTRYPOINT ["/bin/sh" "-c"]', true],
        ['CMD ["echo hi"]', true],
        ['SHELL [/bin/sh -ec]', true],
        ['STOPSIGNAL SIGINT', true],
        [
          'HEALTHCHECK {Test:[CMD-SHELL true] Interval:5s Timeout:2s StartPeriod:0s StartInterval:0s Retries:3}',
          true,
        ],
      ],
    );
    assert.ok(own.every((h) => h.comment === 'buildkit.dockerfile.v0'));
    // One layer more than busybox: the WORKDIR that created /app.
    assert.equal(img.manifest.layers.length, base.manifest.layers.length + 1);
    assert.equal(img.config.rootfs.diff_ids.length, img.manifest.layers.length);
    const hist = g.ok(['history', 'meta:1']).stdout;
    assert.match(hist, /WORKDIR \/app/);
    assert.match(hist, /STOPSIGNAL SIGINT/);
  });

  test('ONBUILD triggers run in a later build FROM the image, and are not inherited', async () => {
    g.ok(['build', '-q', '-f', join(ctx, 'Dockerfile.child'), '-t', 'child:1', ctx]);
    const img = g.inspect('child:1');
    assert.ok(img.config.config?.Env?.includes('TRIGGERED=yes'));
    assert.ok(
      !('OnBuild' in (img.config.config ?? {})),
      'the triggers are used up (no OnBuild key, as BuildKit)',
    );
    const meta = g.inspect('meta:1');
    // Two COPY layers: the trigger's, then the child's own.
    assert.equal(img.manifest.layers.length, meta.manifest.layers.length + 2);
    const out = join(work.dir, 'child-out');
    g.ok(['build', '-q', '-f', join(ctx, 'Dockerfile.child'), '--output', `type=local,dest=${out}`, ctx]);
    const tree = await readTree(out, { content: true, skip: (p) => !p.endsWith('.txt') || p.includes('/') });
    assert.deepEqual(tree, { 'b.txt': 'f 0644 0:0 beta\n', 'onbuild-a.txt': 'f 0644 0:0 alpha\n' });
    const files = g.ok(['history', 'child:1']).stdout;
    assert.match(files, /COPY a\.txt \/onbuild-a\.txt/);
    assert.match(files, /COPY b\.txt \/b\.txt/);
  });

  test('ONBUILD of an earlier stage runs in FROM <stage>; ENTRYPOINT resets an inherited CMD', () => {
    const f = join(ctx, 'Dockerfile.stages');
    g.ok(['build', '-q', '-f', f, '--target', 'child', '-t', 'stage-child:1', ctx]);
    const child = g.inspect('stage-child:1');
    assert.ok(child.config.config?.Env?.includes('TRIGGERED=yes'));
    assert.ok(!('OnBuild' in (child.config.config ?? {})));

    g.ok(['build', '-q', '-f', f, '--target', 'ep', '-t', 'ep:1', ctx]);
    const ep = g.inspect('ep:1').config.config;
    assert.deepEqual(ep?.Entrypoint, ['/bin/echo']);
    assert.ok(
      ep?.Cmd === undefined || ep.Cmd === null,
      `CMD ["sh"] of busybox is reset: ${JSON.stringify(ep?.Cmd)}`,
    );

    g.ok(['build', '-q', '-f', f, '--target', 'epcmd', '-t', 'epcmd:1', ctx]);
    const epcmd = g.inspect('epcmd:1').config.config;
    assert.deepEqual(epcmd?.Entrypoint, ['/bin/echo']);
    assert.deepEqual(epcmd?.Cmd, ['x']);
  });
});
