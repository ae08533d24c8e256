import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseImages } from '../lib/bench-env.ts';
import type { BenchCase } from './types.ts';

/**
 * A 60-instruction Dockerfile: FROM, 25 trivial RUNs, and 34 metadata and small COPY steps
 * (10 ENV, 8 LABEL, 6 WORKDIR, 6 COPY, 2 ARG, EXPOSE, CMD), interleaved.
 */
export function manyStepsDockerfile(from: string): string {
  const lines = [`FROM ${from}`];
  const others = [
    ...Array.from({ length: 10 }, (_, i) => `ENV BENCH_VAR_${i}=value-${i}`),
    ...Array.from({ length: 8 }, (_, i) => `LABEL bench.label.${i}="label ${i}"`),
    ...Array.from({ length: 6 }, (_, i) => `WORKDIR /work/dir${i}`),
    ...Array.from({ length: 6 }, (_, i) => `COPY file${i}.txt /files/`),
    'ARG BENCH_ARG_A=a',
    'ARG BENCH_ARG_B=b',
    'EXPOSE 8080',
  ];
  for (let i = 0; i < 25; i++) {
    lines.push(`RUN echo step ${i} > /step-${i}.txt`);
    // 34 others over 25 RUNs: one after each RUN, a second after the first nine.
    const take = i < 9 ? 2 : 1;
    lines.push(...others.splice(0, take));
  }
  lines.push(...others, 'CMD ["sh"]');
  return `${lines.join('\n')}\n`;
}

export const manySteps: BenchCase = {
  name: 'many-steps',
  title: '60 instructions with 25 trivial RUNs',
  async prepare(dir, env) {
    await mkdir(dir, { recursive: true });
    for (let i = 0; i < 6; i++) await writeFile(join(dir, `file${i}.txt`), `file ${i}\n`);
    const dockerfile = join(dir, 'Dockerfile');
    await writeFile(dockerfile, manyStepsDockerfile(baseImages(env).busybox));
    return { contextDir: dir, dockerfile };
  },
  steps: [
    { label: 'cold', target: 1.0 },
    { label: 'warm (no change)', target: 1.0 },
  ],
};
