import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from '../../build/build.ts';
import type { BuildEvent } from '../../build/events.ts';
import type { OutputSpec } from '../../build/types.ts';
import { GantryError } from '../../errors/gantry-error.ts';
import { parsePlatform } from '../../plan/platform.ts';
import { parseBuildArgs, parseOutput, parseSecret } from '../build-flags.ts';
import { type CliEnv, registryOptions, storeFor } from '../cli-env.ts';
import { jsonRenderer } from '../progress/json.ts';
import { plainRenderer } from '../progress/plain.ts';
import { ttyRenderer } from '../progress/tty.ts';

export interface BuildFlags {
  tag: string[];
  file?: string;
  target?: string;
  buildArg: string[];
  output: string[];
  iidfile?: string;
  metadataFile?: string;
  quiet?: boolean;
  progress: string;
  cache: boolean;
  /** `--no-cache-filter` (commander names a `--no-*` option after its positive form). */
  cacheFilter: string[];
  pull?: boolean;
  platform?: string;
  network: string;
  runtime: string;
  jobs?: string;
  secret: string[];
  push?: boolean;
  insecureRegistry: string[];
  root?: string;
}

export async function buildCommand(
  context: string,
  f: BuildFlags,
  cli: CliEnv,
  signal: AbortSignal,
): Promise<void> {
  const progress = f.quiet ? 'quiet' : f.progress === 'auto' ? (cli.isTTY ? 'tty' : 'plain') : f.progress;
  let onEvent: (e: BuildEvent) => void;
  let stop = () => {};
  switch (progress) {
    case 'plain':
      onEvent = plainRenderer(cli.err);
      break;
    case 'json':
      onEvent = jsonRenderer(cli.err);
      break;
    case 'tty': {
      const v = ttyRenderer({ write: cli.err, columns: cli.columns });
      onEvent = v.onEvent;
      stop = v.stop;
      break;
    }
    case 'quiet':
      onEvent = () => {};
      break;
    default:
      throw new GantryError('E_CLI_FLAG', `unknown --progress ${JSON.stringify(f.progress)}`, {
        hint: 'use auto, tty, plain, json or quiet',
      });
  }
  if (f.network !== 'host' && f.network !== 'none' && f.network !== 'default') {
    throw new GantryError('E_CLI_FLAG', `unknown --network ${JSON.stringify(f.network)}`, {
      hint: 'use host (the default) or none',
    });
  }
  const outputs: OutputSpec[] = f.output.map((o) => parseOutput(o, cli.cwd));
  const secrets = await Promise.all(f.secret.map((s) => parseSecret(s, cli.cwd, cli.env)));
  const store = await storeFor(cli, f.root);
  const pull = f.pull === true ? 'always' : 'missing';
  const sde = cli.env.SOURCE_DATE_EPOCH;
  try {
    const summary = await build(
      {
        contextDir: resolve(cli.cwd, context),
        ...(f.file !== undefined ? { dockerfile: f.file } : {}),
        tags: f.tag,
        ...(f.target !== undefined ? { target: f.target } : {}),
        buildArgs: parseBuildArgs(f.buildArg, cli.env),
        noCache: !f.cache,
        noCacheFilter: f.cacheFilter.flatMap((s) => s.split(',')).filter(Boolean),
        pull,
        ...(f.platform !== undefined ? { platform: parsePlatform(f.platform) } : {}),
        network: f.network === 'none' ? 'none' : 'host',
        runtime: f.runtime,
        jobs: f.jobs !== undefined ? Number(f.jobs) : 0,
        outputs,
        secrets,
        push: f.push === true,
        insecureRegistries: f.insecureRegistry,
        onEvent,
        signal,
        ...(sde !== undefined && /^\d+$/.test(sde) ? { sourceDateEpoch: Number(sde) } : {}),
      },
      { store, cwd: cli.cwd, registry: registryOptions(cli, f.insecureRegistry) },
    );
    stop();
    if (progress === 'quiet') cli.out(`${summary.imageId}\n`);
    else onEvent({ type: 'done', summary });
    if (f.iidfile) await writeFile(resolve(cli.cwd, f.iidfile), summary.imageId);
    if (f.metadataFile) {
      const meta = {
        'containerimage.config.digest': summary.imageId,
        'containerimage.digest': summary.manifestDigest,
        'image.name': summary.tags.join(','),
      };
      await writeFile(resolve(cli.cwd, f.metadataFile), `${JSON.stringify(meta, null, 2)}\n`);
    }
  } finally {
    stop();
  }
}
