import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseImages, REPO } from '../lib/bench-env.ts';
import type { BenchCase } from './types.ts';

/** examples/go-server with its image names pointed at the bench registry. */
export function goSeedDockerfile(seed: string, images: { busybox: string; golang: string }): string {
  return seed
    .replace(/^FROM golang\b(?::\S+)?/m, `FROM ${images.golang}`)
    .replace(/--from=busybox\b(?::\S+)?/g, `--from=${images.busybox}`);
}

export const goSeed: BenchCase = {
  name: 'go-seed',
  title: 'the seed Go example (examples/go-server)',
  async prepare(dir, env) {
    await mkdir(dir, { recursive: true });
    const src = join(REPO, 'examples/go-server');
    await copyFile(join(src, 'server.go'), join(dir, 'server.go'));
    const dockerfile = join(dir, 'Dockerfile');
    await writeFile(
      dockerfile,
      goSeedDockerfile(await readFile(join(src, 'Dockerfile'), 'utf8'), baseImages(env)),
    );
    return { contextDir: dir, dockerfile };
  },
  steps: [
    { label: 'cold', target: 1.0 },
    { label: 'warm (no change)', target: 1.5 },
  ],
};
