import { readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { GantryError } from '../errors/gantry-error.ts';

export interface DockerfileInput {
  /** Absolute path. */
  path: string;
  /** How messages name it (relative to the working directory when inside it). */
  displayName: string;
  text: string;
  /** `.dockerignore` text: `<Dockerfile>.dockerignore` beside the Dockerfile first, else the context's. */
  ignoreText: string | null;
}

async function readOptional(p: string): Promise<string | null> {
  try {
    return await readFile(p, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Reads the Dockerfile (default `<context>/Dockerfile`) and the ignore file that applies to it. */
export async function readDockerfile(
  contextDir: string,
  dockerfile: string | undefined,
  cwd: string,
): Promise<DockerfileInput> {
  const path =
    dockerfile === undefined
      ? join(contextDir, 'Dockerfile')
      : isAbsolute(dockerfile)
        ? dockerfile
        : resolve(cwd, dockerfile);
  const rel = relative(cwd, path);
  const displayName = rel.startsWith('..') ? path : rel;
  const text = await readOptional(path);
  if (text === null) {
    throw new GantryError('E_DOCKERFILE_NOT_FOUND', `no Dockerfile at ${displayName}`, {
      hint:
        dockerfile === undefined
          ? 'put a Dockerfile in the build context or name one with -f'
          : 'check the path given with -f',
    });
  }
  const specific = await readOptional(join(dirname(path), `${basename(path)}.dockerignore`));
  const ignoreText = specific ?? (await readOptional(join(contextDir, '.dockerignore')));
  return { path, displayName, text, ignoreText };
}
