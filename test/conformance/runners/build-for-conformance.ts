import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from '../../../src/build/build.ts';
import { checkRunSupport } from '../../../src/exec/check-run-support.ts';
import { openStore } from '../../../src/store/index.ts';

/**
 * Runs a real build of a one-file context (a directory holding only the Dockerfile) for
 * conformance rows that fail only when executed. Needs what RUN needs (root, runc, overlayfs);
 * where that is missing the row is reported as skipped with the reason.
 */
export type BuildOutcome =
  | { kind: 'ok' }
  | { kind: 'error'; error: unknown }
  | { kind: 'unavailable'; reason: string };

export async function buildForConformance(dockerfile: string): Promise<BuildOutcome> {
  const support = checkRunSupport();
  if (!support.ok) return { kind: 'unavailable', reason: support.message };
  const dir = await mkdtemp(join(tmpdir(), 'gantry-conformance-'));
  try {
    const context = join(dir, 'context');
    await mkdir(context);
    await writeFile(join(context, 'Dockerfile'), dockerfile);
    const store = await openStore(join(dir, 'store'));
    await build(
      {
        contextDir: context,
        tags: [],
        buildArgs: {},
        noCache: false,
        noCacheFilter: [],
        pull: 'never',
        network: 'none',
        runtime: 'runc',
        jobs: 1,
        outputs: [],
        secrets: [],
        push: false,
        insecureRegistries: [],
        onEvent: () => {},
      },
      { store, cwd: context, registry: {} },
    );
    return { kind: 'ok' };
  } catch (error) {
    return { kind: 'error', error };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
