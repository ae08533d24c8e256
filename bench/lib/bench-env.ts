import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What bench/setup.sh leaves in $BENCH_WORK/env. */
export interface BenchEnv {
  work: string;
  /** `127.0.0.1:PORT`, the registry that serves `bench/busybox:latest` and `bench/golang:latest`. */
  registry: string;
  dockerHost: string;
  buildahRoot: string;
  buildahRunroot: string;
  gantryTemplate: string;
  /** The gantry CLI: the copy bench/setup.sh took of this checkout's bin/ + dist/, or $GANTRY. */
  gantry: string;
}

export const REPO = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** Runs `bench/setup.sh start` (unless told not to) and reads the variables it wrote. */
export function benchEnv(opts: { setup: boolean }): BenchEnv {
  const work = process.env.BENCH_WORK ?? '/var/tmp/gantry-bench';
  if (opts.setup) execFileSync('bash', [join(REPO, 'bench/setup.sh'), 'start'], { stdio: 'inherit' });
  const vars = new Map<string, string>();
  for (const line of readFileSync(join(work, 'env'), 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) vars.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const get = (k: string) => {
    const v = vars.get(k);
    if (v === undefined)
      throw new Error(`${k} is missing from ${join(work, 'env')}; run bench/setup.sh start`);
    return v;
  };
  return {
    work,
    registry: get('REGISTRY'),
    dockerHost: get('DOCKER_HOST'),
    buildahRoot: get('BUILDAH_ROOT'),
    buildahRunroot: get('BUILDAH_RUNROOT'),
    gantryTemplate: get('GANTRY_TEMPLATE'),
    gantry: process.env.GANTRY ?? vars.get('GANTRY') ?? join(REPO, 'bin/gantry'),
  };
}

/** Stops the services `bench/setup.sh start` started. */
export function stopServices(): void {
  execFileSync('bash', [join(REPO, 'bench/setup.sh'), 'stop'], { stdio: 'inherit' });
}

/** The base images every case builds on, as all three builders name them. */
export function baseImages(env: BenchEnv): { busybox: string; golang: string } {
  return {
    busybox: `${env.registry}/bench/busybox:latest`,
    golang: `${env.registry}/bench/golang:latest`,
  };
}
