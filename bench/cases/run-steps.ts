import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseImages } from '../lib/bench-env.ts';
import type { BenchCase } from './types.ts';

/** FROM busybox and `count` trivial RUN steps, each writing one small file. */
export function runStepsDockerfile(from: string, count: number): string {
  const runs = Array.from({ length: count }, (_, i) => `RUN echo ${i} > /run-${i}`);
  return `${[`FROM ${from}`, ...runs].join('\n')}\n`;
}

/** A cold build of `count` trivial RUNs (issue 5 compares 1 and 25 to get the cost of one step). */
export function runStepsCase(count: number): BenchCase {
  return {
    name: `run-steps-${count}`,
    title: `${count} trivial RUN step${count === 1 ? '' : 's'}`,
    async prepare(dir, env) {
      await mkdir(dir, { recursive: true });
      const dockerfile = join(dir, 'Dockerfile');
      await writeFile(dockerfile, runStepsDockerfile(baseImages(env).busybox, count));
      return { contextDir: dir, dockerfile };
    },
    steps: [{ label: 'cold' }],
  };
}
