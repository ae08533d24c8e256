import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isGantryError } from '../errors/index.ts';
import { pendingCleanups } from './cleanup.ts';
import { runContainer, runtimeErrors } from './run-container.ts';
import { runtimeBinary } from './runtime-binary.ts';
import { buildRuntimeSpec } from './runtime-spec.ts';

const spec = buildRuntimeSpec({
  args: ['true'],
  env: [],
  cwd: '/',
  user: { uid: 0, gid: 0, additionalGids: [0] },
  hostname: 'h',
  rootfs: '/nonexistent',
  network: 'host',
  hostsPath: '/h',
  resolvConfPath: '/r',
});

let dir: string;
const made: string[] = [];
after(async () => {
  for (const d of made) await rm(d, { recursive: true, force: true });
});

/** A stand-in OCI runtime: records its argv, prints output, exits with $FAKE_EXIT (run) or 0. */
async function fakeRuntime(): Promise<{ bin: string; calls: string }> {
  dir = await mkdtemp(join(tmpdir(), 'gantry-fake-rt-'));
  made.push(dir);
  const bin = join(dir, 'my runtime');
  const calls = join(dir, 'calls');
  await writeFile(
    bin,
    `#!/bin/sh
echo "$*" >> '${calls}'
case "$*" in
  *" run "*) printf 'out1\\nout2'; printf 'err1\\n' >&2
    case "$*" in *fails-to-start*) log="$2"; echo '{"level":"error","msg":"exec: \\"nope\\": executable file not found in $PATH"}' > "$log"; exit 1;; esac
    exit 3;;
esac
exit 0
`,
  );
  await chmod(bin, 0o755);
  return { bin, calls };
}

describe('runContainer with a given runtime binary', () => {
  test('the path given as runtime is the binary run; run, then delete --force', async () => {
    const { bin, calls } = await fakeRuntime();
    const bundle = join(dir, 'bundle');
    await mkdir(bundle);
    const out: string[] = [];
    const err: string[] = [];
    const r = await runContainer({
      runtime: bin,
      bundleDir: bundle,
      id: 'c1',
      spec,
      stdout: (l) => out.push(l),
      stderr: (l) => err.push(l),
    });
    assert.equal(r.exitCode, 3);
    assert.deepEqual(out, ['out1', 'out2']);
    assert.deepEqual(err, ['err1']);
    const lines = (await readFile(calls, 'utf8')).trim().split('\n');
    assert.equal(
      lines[0],
      `--log ${join(bundle, 'runtime.log')} --log-format json run --bundle ${bundle} c1`,
    );
    assert.equal(lines.at(-1), 'delete --force c1');
    assert.deepEqual(JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')), spec);
    assert.equal(pendingCleanups(), 0);
  });

  test("the runtime's own errors (from its json log) are E_EXEC_RUNTIME_FAILED", async () => {
    const { bin } = await fakeRuntime();
    const bundle = join(dir, 'bundle');
    await mkdir(bundle);
    await assert.rejects(
      runContainer({ runtime: bin, bundleDir: bundle, id: 'fails-to-start', spec }),
      (e) => isGantryError(e, 'E_EXEC_RUNTIME_FAILED') && e.message.includes('executable file not found'),
    );
  });

  test('a missing runtime binary is E_EXEC_RUNTIME_FAILED', async () => {
    const d = await mkdtemp(join(tmpdir(), 'gantry-nort-'));
    await assert.rejects(runContainer({ runtime: join(d, 'crun'), bundleDir: d, id: 'x', spec }), (e) =>
      isGantryError(e, 'E_EXEC_RUNTIME_FAILED'),
    );
    await rm(d, { recursive: true });
  });

  test('runtime names map to binaries: runc default, crun, paths as given', () => {
    assert.equal(runtimeBinary(undefined), 'runc');
    assert.equal(runtimeBinary('crun'), 'crun');
    assert.equal(runtimeBinary('/opt/bin/crun'), '/opt/bin/crun');
  });

  test('runtimeErrors keeps error-level messages of a json log', () => {
    const log = '{"level":"warning","msg":"w"}\n{"level":"error","msg":"boom"}\nnot json\n';
    assert.deepEqual(runtimeErrors(log), ['boom', 'not json']);
  });
});
