import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseImages } from '../lib/bench-env.ts';
import type { BenchCase } from './types.ts';

/**
 * busybox sh loop iterations for ~1.5 s of one core on the reference machine (1,000,000 took
 * 2.38 s there: a 2-core Xeon VM). Override with BENCH_CPU_ITERATIONS to recalibrate.
 */
export const CPU_ITERATIONS = Number(process.env.BENCH_CPU_ITERATIONS ?? 630000);

function cpuRun(iterations: number, out: string): string {
  return `RUN i=0; while [ $i -lt ${iterations} ]; do i=$((i+1)); done; echo $i > ${out}`;
}

/**
 * Six independent CPU stages (~1.5 s each), one slow stage nothing uses (~10 s), and a last
 * stage that copies one file from each of the six. Built without --target: the last stage.
 */
export function parallelStagesDockerfile(from: string, iterations: number): string {
  const lines: string[] = [];
  for (let i = 1; i <= 6; i++) lines.push(`FROM ${from} AS cpu${i}`, cpuRun(iterations + i, `/out${i}`), '');
  lines.push(`FROM ${from} AS unused`, cpuRun(iterations * 7, '/never'), '');
  lines.push(`FROM ${from} AS final`);
  for (let i = 1; i <= 6; i++) lines.push(`COPY --from=cpu${i} /out${i} /results/`);
  return `${lines.join('\n')}\n`;
}

export const parallelStages: BenchCase = {
  name: 'parallel-stages',
  title: 'six independent ~1.5 s CPU stages + one unused slow stage',
  async prepare(dir, env) {
    await mkdir(dir, { recursive: true });
    const dockerfile = join(dir, 'Dockerfile');
    await writeFile(dockerfile, parallelStagesDockerfile(baseImages(env).busybox, CPU_ITERATIONS));
    return { contextDir: dir, dockerfile };
  },
  steps: [{ label: 'cold', target: 1.0 }],
};
