import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type BenchEnv, baseImages } from './bench-env.ts';
import { mustRun, runCommand } from './run-command.ts';

export type BuilderName = 'gantry' | 'docker' | 'buildah';

export interface BuildRequest {
  contextDir: string;
  /** Path of the Dockerfile (inside the context). */
  dockerfile: string;
  tag: string;
  target?: string;
}

export interface BuildResult {
  seconds: number;
  ok: boolean;
  /** Peak resident set size in MiB (gantry only: GNU time's maximum RSS of the CLI process). */
  rssMiB?: number;
  error?: string;
}

export interface Builder {
  name: BuilderName;
  /** Makes the next build cold: no build cache, no built images; the base images stay. */
  reset(): Promise<void>;
  build(r: BuildRequest): Promise<BuildResult>;
}

const TIMEOUT_MS = 15 * 60 * 1000;
const DOCKER = '/usr/bin/docker'; // Debian's docker.io client, not another docker on PATH

function result(r: { seconds: number; code: number | null; tail: string }): BuildResult {
  return r.code === 0
    ? { seconds: r.seconds, ok: true }
    : {
        seconds: r.seconds,
        ok: false,
        error: `exit ${r.code}: ${r.tail.trim().split('\n').slice(-3).join(' | ')}`,
      };
}

/**
 * gantry: a cold build starts from a copy of the template store (the bases pulled and their
 * snapshots unpacked, nothing else); warm builds reuse the same store.
 */
export function gantryBuilder(env: BenchEnv, logFile: string): Builder {
  const root = join(env.work, 'gantry-root');
  const rssFile = join(env.work, 'gantry-rss.txt');
  return {
    name: 'gantry',
    async reset() {
      await rm(root, { recursive: true, force: true });
      await mustRun({ cmd: 'cp', args: ['-a', env.gantryTemplate, root], logFile });
    },
    async build(r) {
      const args = ['-f', '%M', '-o', rssFile, env.gantry, '--root', root, 'build', '--progress=plain'];
      args.push('-f', r.dockerfile, '-t', r.tag);
      if (r.target !== undefined) args.push('--target', r.target);
      args.push(r.contextDir);
      const out = result(await runCommand({ cmd: '/usr/bin/time', args, logFile, timeoutMs: TIMEOUT_MS }));
      const kib = Number((await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n').pop());
      return Number.isFinite(kib) && kib > 0 ? { ...out, rssMiB: kib / 1024 } : out;
    },
  };
}

/** docker build with BuildKit against the private dockerd bench/setup.sh started. */
export function dockerBuilder(env: BenchEnv, logFile: string): Builder {
  const denv = { DOCKER_HOST: env.dockerHost, DOCKER_BUILDKIT: '1' };
  const docker = (args: string[]) => mustRun({ cmd: DOCKER, args, env: denv, logFile });
  const bases = Object.values(baseImages(env));
  return {
    name: 'docker',
    async reset() {
      const keep = new Set(
        (await docker(['image', 'inspect', '-f', '{{.Id}}', ...bases])).trim().split('\n'),
      );
      const all = (await docker(['image', 'ls', '-a', '-q', '--no-trunc'])).trim().split('\n');
      const drop = [...new Set(all.filter((id) => id !== '' && !keep.has(id)))];
      if (drop.length > 0) await docker(['image', 'rm', '-f', ...drop]);
      await docker(['builder', 'prune', '-a', '-f']);
    },
    async build(r) {
      const args = ['build', '--network=host', '--progress=plain', '-f', r.dockerfile, '-t', r.tag];
      if (r.target !== undefined) args.push('--target', r.target);
      args.push(r.contextDir);
      return result(await runCommand({ cmd: DOCKER, args, env: denv, logFile, timeoutMs: TIMEOUT_MS }));
    },
  };
}

/** buildah bud --layers with runc, its own storage under the bench work dir. */
export function buildahBuilder(env: BenchEnv, logFile: string): Builder {
  const global = ['--root', env.buildahRoot, '--runroot', env.buildahRunroot, '--storage-driver', 'overlay'];
  const buildah = (args: string[]) => mustRun({ cmd: 'buildah', args: [...global, ...args], logFile });
  const bases = Object.values(baseImages(env));
  return {
    name: 'buildah',
    async reset() {
      await buildah(['rm', '-a']);
      const keep = new Set<string>();
      for (const b of bases) {
        keep.add((await buildah(['inspect', '-t', 'image', '-f', '{{.FromImageID}}', b])).trim());
      }
      const all = (await buildah(['images', '-a', '-q', '--no-trunc'])).trim().split('\n');
      const drop = [
        ...new Set(all.map((id) => id.replace(/^sha256:/, '')).filter((id) => id !== '' && !keep.has(id))),
      ];
      if (drop.length > 0) await buildah(['rmi', '-f', ...drop]);
    },
    async build(r) {
      const args = [
        ...global,
        'bud',
        '--runtime',
        'runc',
        '--layers',
        '--network',
        'host',
        '--tls-verify=false',
      ];
      args.push('-f', r.dockerfile, '-t', r.tag);
      if (r.target !== undefined) args.push('--target', r.target);
      args.push(r.contextDir);
      return result(await runCommand({ cmd: 'buildah', args, logFile, timeoutMs: TIMEOUT_MS }));
    },
  };
}

export function allBuilders(env: BenchEnv, logFile: string, only?: readonly BuilderName[]): Builder[] {
  const list = [gantryBuilder(env, logFile), dockerBuilder(env, logFile), buildahBuilder(env, logFile)];
  return only === undefined ? list : list.filter((b) => only.includes(b.name));
}
