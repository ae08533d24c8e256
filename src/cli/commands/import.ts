import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseInstruction } from '../../dockerfile/instructions/index.ts';
import { parse } from '../../dockerfile/parser/index.ts';
import { Lex } from '../../dockerfile/shell/index.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { importRootfs } from '../../image/import-rootfs.ts';
import { putImage } from '../../image/put-image.ts';
import { readImage } from '../../image/read-image.ts';
import { dispatchInstruction } from '../../plan/dispatch.ts';
import { EnvList } from '../../plan/env-list.ts';
import { parsePlatform, platformFromNode } from '../../plan/platform.ts';
import { emptyImageConfig, initialStageState } from '../../plan/stage-state.ts';
import { familiarString, parseReference } from '../../registry/index.ts';
import type { Store } from '../../store/types.ts';
import type { CliEnv } from '../cli-env.ts';

const ALLOWED = new Set([
  'cmd',
  'entrypoint',
  'env',
  'expose',
  'label',
  'onbuild',
  'user',
  'volume',
  'workdir',
  'stopsignal',
  'healthcheck',
  'shell',
]);

/**
 * `gantry import DIR|TARBALL -t name:tag [--change 'ENV ...']...`: a one-layer base image from a
 * root filesystem, with Dockerfile instructions applied to its config (as `docker import --change`).
 */
export async function importCommand(
  store: Store,
  cli: CliEnv,
  source: string,
  f: { tag: string[]; change: string[]; platform?: string; message?: string },
): Promise<void> {
  if (f.tag.length === 0)
    throw new GantryError('E_CLI_FLAG', 'gantry import needs -t name:tag', {
      hint: 'for example: gantry import ./rootfs -t busybox:latest',
    });
  const platform = f.platform ? parsePlatform(f.platform) : platformFromNode(process.arch);
  const state = initialStageState({ base: emptyImageConfig(platform), platform });
  const lex = new Lex();
  for (const change of f.change) {
    const ast = parse(change);
    for (const node of ast.children) {
      const inst = parseInstruction(node);
      if (!ALLOWED.has(inst.kind)) {
        throw new GantryError(
          'E_IMPORT_CHANGE',
          `--change ${JSON.stringify(change)}: ${inst.name} is not allowed here`,
          { hint: `allowed: ${[...ALLOWED].join(', ').toUpperCase()}` },
        );
      }
      const r = dispatchInstruction(state, inst, { lex, globalArgs: EnvList.empty(), buildArgs: {} });
      if (r.action.kind === 'workdir') state.config.WorkingDir = r.action.path;
    }
  }
  const sde = cli.env.SOURCE_DATE_EPOCH;
  const tmpDir = await store.tmpDir('import-');
  const imported = await importRootfs({
    source: resolve(cli.cwd, source),
    blobs: store.blobs,
    config: state.config,
    platform,
    ...(sde !== undefined && /^\d+$/.test(sde) ? { sourceDateEpoch: Number(sde) } : {}),
    createdBy: f.message ?? `gantry import ${source}`,
    tmpDir,
  }).finally(() => rm(tmpDir, { recursive: true, force: true }));
  // Keep the history of --change lines after the import line, as docker does.
  const loaded = await readImage(store.blobs, imported.manifest);
  const history = [...(loaded.config.history ?? []), ...(state.image.history ?? [])];
  const stored =
    history.length === (loaded.config.history ?? []).length
      ? imported
      : await putImage({
          blobs: store.blobs,
          config: { ...loaded.config, history },
          layers: loaded.manifest.layers,
        });
  for (const t of f.tag) {
    const ref = parseReference(t);
    await store.refs.set(ref.toString(), stored.manifest);
    cli.err(`imported ${familiarString(ref)}\n`);
  }
  for (const w of imported.warnings) cli.err(`warning: ${w}\n`);
  cli.out(`${stored.config.digest}\n`);
}
