import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { REPO } from './bench-env.ts';

function sh(cmd: string, env: Record<string, string> = {}): string {
  try {
    return execFileSync('sh', ['-c', cmd], { encoding: 'utf8', env: { ...process.env, ...env } }).trim();
  } catch (e) {
    return `unavailable (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
}

/**
 * Which gantry `bin` is: the VERSION file beside its bin/ (bench/setup.sh writes one into the
 * copy it takes), else the commit of the checkout it lives in, else its path.
 */
export function gantryVersion(bin: string): string {
  const dir = dirname(dirname(resolve(bin)));
  const version = join(dir, 'VERSION');
  if (existsSync(version)) return readFileSync(version, 'utf8').trim();
  if (dir === REPO) return `${sh(`git -C ${REPO} rev-parse --short HEAD`)} (the checkout, ${bin})`;
  return `unknown build at ${bin}`;
}

/** The machine and tool versions, as markdown bullet lines. */
export function describeMachine(opts: { work: string; dockerHost: string; gantry: string }): string[] {
  const cpu = cpus();
  const built = gantryVersion(opts.gantry);
  return [
    `- CPU: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'} (nproc ${sh('nproc')})`,
    `- memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- kernel: ${sh('uname -r')}`,
    `- disk under ${opts.work}: ${sh(`df -hT ${opts.work} | tail -1 | awk '{print $1" "$2", "$3" total, "$5" free"}'`)}`,
    `- node ${process.version}; gantry ${built}`,
    `- docker: client ${sh('/usr/bin/docker version -f "{{.Client.Version}}"', { DOCKER_HOST: opts.dockerHost })}, server ${sh('/usr/bin/docker version -f "{{.Server.Version}}"', { DOCKER_HOST: opts.dockerHost })} (BuildKit built in), storage driver ${sh('/usr/bin/docker info -f "{{.Driver}}"', { DOCKER_HOST: opts.dockerHost })}`,
    `- buildah: ${sh('buildah --version')}`,
    `- runc: ${sh('runc --version | head -1')}`,
  ];
}
