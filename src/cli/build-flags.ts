import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OutputSpec, SecretSpec } from '../build/types.ts';
import { GantryError } from '../errors/gantry-error.ts';

/** `--build-arg K=V` (or `K` alone: the value comes from gantry's environment, as docker does). */
export function parseBuildArgs(
  list: string[],
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list) {
    const i = a.indexOf('=');
    if (i === 0)
      throw new GantryError('E_CLI_BUILD_ARG', `invalid --build-arg ${JSON.stringify(a)}`, {
        hint: 'use --build-arg NAME=value',
      });
    if (i < 0) {
      const v = env[a];
      if (v !== undefined) out[a] = v;
    } else out[a.slice(0, i)] = a.slice(i + 1);
  }
  return out;
}

function csv(spec: string, flag: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of spec.split(',')) {
    if (part === '') continue;
    const i = part.indexOf('=');
    if (i <= 0)
      throw new GantryError(
        'E_CLI_FLAG',
        `invalid ${flag} value ${JSON.stringify(spec)}: ${JSON.stringify(part)} is not key=value`,
        { hint: `for example ${flag} type=oci,dest=out.tar` },
      );
    m.set(part.slice(0, i).trim(), part.slice(i + 1).trim());
  }
  return m;
}

/** `--output type=oci|docker|local|tar|image|registry[,dest=PATH][,tar=false]`; a bare path means type=local. */
export function parseOutput(spec: string, cwd: string): OutputSpec {
  if (!spec.includes('=')) return { type: 'local', dest: resolve(cwd, spec) };
  const m = csv(spec, '--output');
  const type = m.get('type') ?? 'local';
  const dest = m.get('dest');
  const need = () => {
    if (dest === undefined || dest === '')
      throw new GantryError('E_CLI_FLAG', `--output type=${type} needs dest=PATH`, {
        hint: `for example --output type=${type},dest=out`,
      });
    return resolve(cwd, dest);
  };
  switch (type) {
    case 'oci':
      return { type: 'oci', dest: need(), tar: m.get('tar') !== 'false' };
    case 'docker':
      return { type: 'docker', dest: need() };
    case 'tar':
      return { type: 'oci', dest: need(), tar: true };
    case 'local':
      return { type: 'local', dest: need() };
    case 'image':
      return m.get('push') === 'true' ? { type: 'registry' } : { type: 'image' };
    case 'registry':
      return { type: 'registry' };
    default:
      throw new GantryError('E_CLI_FLAG', `unknown --output type ${JSON.stringify(type)}`, {
        hint: 'use type=oci, docker, local, tar, image or registry',
      });
  }
}

/** `--secret id=NAME[,src=FILE|,env=VAR]` (src defaults to env NAME when no source is given). */
export async function parseSecret(
  spec: string,
  cwd: string,
  env: Record<string, string | undefined>,
): Promise<SecretSpec> {
  const m = csv(spec, '--secret');
  const id = m.get('id');
  if (!id)
    throw new GantryError('E_CLI_SECRET', `--secret ${JSON.stringify(spec)} has no id`, {
      hint: 'use --secret id=NAME,src=FILE or --secret id=NAME,env=VAR',
    });
  const src = m.get('src') ?? m.get('source');
  if (src !== undefined) {
    try {
      return { id, data: await readFile(resolve(cwd, src)) };
    } catch (e) {
      throw new GantryError('E_CLI_SECRET', `cannot read secret ${JSON.stringify(id)} from ${src}`, {
        hint: 'check the src= path',
        cause: e,
      });
    }
  }
  const name = m.get('env') ?? id;
  const v = env[name];
  if (v === undefined)
    throw new GantryError(
      'E_CLI_SECRET',
      `secret ${JSON.stringify(id)}: environment variable ${name} is not set`,
      { hint: `export ${name}=... or use src=FILE` },
    );
  return { id, data: Buffer.from(v) };
}
