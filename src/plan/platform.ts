import { GantryError } from '../errors/gantry-error.ts';
import type { Platform } from '../oci/types.ts';

/** Normalises like containerd's platforms package: `x86_64` → `amd64`, `aarch64` → `arm64`, ... */
function normalizeArch(
  arch: string,
  variant: string | undefined,
): { architecture: string; variant?: string } {
  switch (arch) {
    case 'i386':
    case 'i686':
      return { architecture: '386' };
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return variant === 'v1' || variant === undefined
        ? { architecture: 'amd64' }
        : { architecture: 'amd64', variant };
    case 'aarch64':
    case 'arm64':
      return variant === 'v8' || variant === '8' || variant === undefined
        ? { architecture: 'arm64' }
        : { architecture: 'arm64', variant };
    case 'armhf':
      return { architecture: 'arm', variant: 'v7' };
    case 'armel':
      return { architecture: 'arm', variant: 'v6' };
    case 'arm': {
      const v = variant === undefined ? 'v7' : /^\d+$/.test(variant) ? `v${variant}` : variant;
      return { architecture: 'arm', variant: v };
    }
    default:
      return variant === undefined ? { architecture: arch } : { architecture: arch, variant };
  }
}

/** Parses `os[/arch[/variant]]` (e.g. `linux/amd64`, `linux/arm/v7`). */
export function parsePlatform(spec: string): Platform {
  const parts = spec.trim().toLowerCase().split('/');
  const bad = () =>
    new GantryError('E_PLATFORM_INVALID', `invalid platform ${JSON.stringify(spec)}`, {
      hint: 'a platform is os/arch[/variant], for example linux/amd64 or linux/arm64',
    });
  if (parts.length < 1 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) throw bad();
  const [os, arch, variant] = parts as [string, string | undefined, string | undefined];
  if (arch === undefined) {
    // BuildKit accepts a bare architecture too ("arm64"); a bare OS means the host's architecture.
    if (['linux', 'windows', 'darwin', 'freebsd'].includes(os)) throw bad();
    return { os: 'linux', ...normalizeArch(os, undefined) };
  }
  return { os, ...normalizeArch(arch, variant) };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter((x) => x !== undefined && x !== '').join('/');
}

/** The platform of this machine from Node's `process.arch` (passed in: plan stays pure). */
export function platformFromNode(nodeArch: string): Platform {
  const map: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'arm',
    ia32: '386',
    ppc64: 'ppc64le',
    s390x: 's390x',
    riscv64: 'riscv64',
  };
  return { os: 'linux', ...normalizeArch(map[nodeArch] ?? nodeArch, undefined) };
}

export function samePlatform(a: Platform, b: Platform): boolean {
  return a.os === b.os && a.architecture === b.architecture && (a.variant ?? '') === (b.variant ?? '');
}
