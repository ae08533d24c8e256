import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ImageConfig } from '../oci/types.ts';
import { convertDockerfile } from './convert.ts';

const amd64 = { os: 'linux', architecture: 'amd64' };

function convert(
  text: string,
  opts: { target?: string; buildArgs?: Record<string, string>; images?: Record<string, ImageConfig> } = {},
) {
  const r = convertDockerfile({
    text,
    target: opts.target,
    buildArgs: opts.buildArgs,
    buildPlatform: amd64,
    targetPlatform: amd64,
    resolveImageConfig: (ref) => opts.images?.[ref],
  });
  const state = r.states.get(r.plan.target)!;
  return { ...r, state, config: state.config, history: state.image.history ?? [] };
}

test('scratch starts with PATH and WORKDIR / like BuildKit', () => {
  const { config } = convert('FROM scratch\n');
  assert.deepEqual(config.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin']);
  assert.equal(config.WorkingDir, '/');
});

test('ENV replaces in place; one ENV expands with the values from before it (docker semantics)', () => {
  const { config, history } = convert('FROM scratch\nENV A=1 B=$A\nENV A=2 PATH=/x:$PATH\n');
  assert.deepEqual(config.Env, [
    'PATH=/x:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    'A=2',
    'B=',
  ]);
  assert.equal(history[0]?.created_by, 'ENV A=1 B=');
  assert.equal(history[0]?.empty_layer, true);
  assert.equal(history[0]?.comment, 'buildkit.dockerfile.v0');
});

test('CMD and ENTRYPOINT: shell form wraps with SHELL; ENTRYPOINT resets an inherited CMD', () => {
  const base: ImageConfig = {
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [] },
    config: { Cmd: ['sh'] },
  };
  const a = convert('FROM base\nENTRYPOINT ["/app"]\n', { images: { base } });
  assert.deepEqual(a.config.Entrypoint, ['/app']);
  assert.equal(a.config.Cmd, null);
  const b = convert('FROM base\nCMD ["--serve"]\nENTRYPOINT ["/app"]\n', { images: { base } });
  assert.deepEqual(b.config.Cmd, ['--serve']);
  const c = convert('FROM scratch\nSHELL ["/bin/bash", "-c"]\nCMD echo hi\n');
  assert.deepEqual(c.config.Cmd, ['/bin/bash', '-c', 'echo hi']);
  assert.equal(c.history.at(-1)?.created_by, 'CMD ["/bin/bash" "-c" "echo hi"]');
  assert.equal(c.config.ArgsEscaped, true);
});

test('labels of the base stage are inherited; COPY --from another stage does not leak its config', () => {
  const { config } = convert(
    'FROM scratch AS base\nLABEL marker=base\n\nFROM base AS sibling\nLABEL marker=sibling\n\nFROM base AS consumer\nCOPY --from=sibling / /\n',
  );
  assert.deepEqual(config.Labels, { marker: 'base' });
});

test('ARG: build args win, defaults expand, global ARGs need redeclaring, RUN sees them', () => {
  const r = convert('ARG V=global\nFROM scratch\nARG V\nARG W=${V}-w\nARG X\nRUN echo $V\n', {
    buildArgs: { X: 'fromcli' },
  });
  const run = r.steps.get(0)!.at(-1)!.action;
  assert.equal(run.kind, 'run');
  if (run.kind !== 'run') return;
  assert.ok(run.env.includes('V=global'));
  assert.ok(run.env.includes('W=global-w'));
  assert.ok(run.env.includes('X=fromcli'));
  assert.deepEqual(run.args, ['/bin/sh', '-c', 'echo $V']);
  assert.equal(
    r.history.at(-1)?.created_by,
    'RUN |3 V=global W=global-w X=fromcli /bin/sh -c echo $V # buildkit',
  );
  // ARG values never reach the image config's Env
  assert.ok(!(r.config.Env ?? []).some((e) => e.startsWith('V=')));
  const unredeclared = convert('ARG V=global\nFROM scratch\nRUN echo\n');
  const run2 = unredeclared.steps.get(0)!.at(-1)!.action;
  assert.ok(run2.kind === 'run' && !run2.env.some((e) => e.startsWith('V=')));
});

test('WORKDIR is relative to the previous one; / makes no layer', () => {
  const r = convert('FROM scratch\nWORKDIR /a\nWORKDIR b/../c\nWORKDIR /\n');
  assert.equal(r.config.WorkingDir, '/');
  const actions = r.steps.get(0)!.map((s) => s.action);
  assert.deepEqual(actions.slice(0, 2), [
    { kind: 'workdir', path: '/a', user: '' },
    { kind: 'workdir', path: '/a/c', user: '' },
  ]);
  assert.equal(r.history.at(-1)?.empty_layer, true);
});

test('COPY resolves its destination against WORKDIR and keeps the trailing slash', () => {
  const r = convert('FROM scratch\nWORKDIR /app\nCOPY a b ./\nCOPY c sub\nCOPY --chown=1:2 d /abs/\n');
  const copies = r.steps
    .get(0)!
    .map((s) => s.action)
    .filter((a) => a.kind === 'copy');
  assert.deepEqual(
    copies.map((c) => (c.kind === 'copy' ? c.dest : '')),
    ['/app/', '/app/sub', '/abs/'],
  );
  assert.equal(r.history.at(-1)?.created_by, 'COPY --chown=1:2 d /abs/ # buildkit');
});

test('COPY of a URL is refused; ADD of a URL is fine', () => {
  assert.throws(
    () => convert('FROM scratch\nCOPY http://example.com/x /\n'),
    /source can't be a URL for COPY/,
  );
  convert('FROM scratch\nADD http://example.com/x /\n');
});

test('EXPOSE, VOLUME, USER, STOPSIGNAL, HEALTHCHECK, ONBUILD land in the config', () => {
  const { config, history } = convert(
    'FROM scratch\nARG P=80\nEXPOSE $P 53/udp 8000-8001\nVOLUME /data\nUSER app:app\nSTOPSIGNAL SIGQUIT\nHEALTHCHECK --interval=5s CMD true\nONBUILD RUN echo hi\n',
  );
  assert.deepEqual(Object.keys(config.ExposedPorts ?? {}).sort(), [
    '53/udp',
    '80/tcp',
    '8000/tcp',
    '8001/tcp',
  ]);
  assert.deepEqual(config.Volumes, { '/data': {} });
  assert.equal(config.User, 'app:app');
  assert.equal(config.StopSignal, 'SIGQUIT');
  assert.deepEqual(config.Healthcheck?.Test, ['CMD-SHELL', 'true']);
  assert.equal(config.Healthcheck?.Interval, 5_000_000_000);
  assert.deepEqual(config.OnBuild, ['RUN echo hi']);
  assert.ok(
    history.some(
      (h) =>
        h.created_by ===
        'HEALTHCHECK {Test:[CMD-SHELL true] Interval:5s Timeout:0s StartPeriod:0s StartInterval:0s Retries:0}',
    ),
  );
});

test('an invalid STOPSIGNAL is an error at its line', () => {
  assert.throws(
    () => convert('FROM scratch\nSTOPSIGNAL NOPE\n'),
    (e: Error & { ranges?: { start: { line: number } }[] }) => {
      assert.match(e.message, /Invalid signal: NOPE/);
      assert.equal(e.ranges?.[0]?.start.line, 2);
      return true;
    },
  );
});

test('RUN heredocs: a lone heredoc runs its body; a #! body runs as a script', () => {
  const r = convert(
    'FROM scratch\nRUN <<EOF\necho one\necho two\nEOF\nRUN <<EOF\n#!/bin/sh\necho script\nEOF\nRUN cat <<EOF > /f\nhello\nEOF\n',
  );
  const runs = r.steps
    .get(0)!
    .map((s) => s.action)
    .filter((a) => a.kind === 'run');
  assert.deepEqual(runs[0]?.kind === 'run' && runs[0].args, ['/bin/sh', '-c', 'echo one\necho two\n']);
  assert.deepEqual(runs[1]?.kind === 'run' && runs[1].args, ['/dev/pipes/EOF']);
  assert.deepEqual(runs[1]?.kind === 'run' && runs[1].script, {
    name: 'EOF',
    data: '#!/bin/sh\necho script\n',
  });
  assert.deepEqual(runs[2]?.kind === 'run' && runs[2].args, ['/bin/sh', '-c', 'cat <<EOF > /f\nhello\nEOF']);
});
