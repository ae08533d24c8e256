import { GantryError } from '../errors/gantry-error.ts';
import type { Descriptor, Platform } from '../oci/types.ts';
import { RegistryErrorCode } from './errors.ts';

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

const NODE_ARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  mips64el: 'mips64le',
  loong64: 'loong64',
};

/** The platform of this host, from Node's `process.platform`/`process.arch` (passed in). */
export function hostPlatform(nodePlatform: string, nodeArch: string): PlatformSpec {
  const architecture = NODE_ARCH[nodeArch] ?? nodeArch;
  const os = nodePlatform === 'win32' ? 'windows' : nodePlatform;
  return architecture === 'arm' ? { os, architecture, variant: 'v7' } : { os, architecture };
}

/** Parses `os/arch[/variant]` (e.g. `linux/arm64/v8`). */
export function parsePlatform(s: string): PlatformSpec {
  const parts = s.trim().toLowerCase().split('/');
  const [os, arch, variant] = parts;
  if (parts.length < 2 || parts.length > 3 || !os || !arch || (parts.length === 3 && !variant)) {
    throw new GantryError('E_PLATFORM_INVALID', `invalid platform ${JSON.stringify(s)}`, {
      hint: 'write it as os/arch[/variant], e.g. linux/amd64 or linux/arm/v7',
    });
  }
  const architecture = arch === 'x86_64' || arch === 'x86-64' ? 'amd64' : arch === 'aarch64' ? 'arm64' : arch;
  return variant !== undefined ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: PlatformSpec | Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`;
}

function normalVariant(arch: string, variant: string | undefined): string {
  if (variant !== undefined && variant !== '') return variant;
  if (arch === 'arm64') return 'v8';
  if (arch === 'arm') return 'v7';
  return '';
}

/** Whether an index entry's platform satisfies `want` (variant defaults as containerd's: arm64→v8, arm→v7). */
export function platformMatches(have: Platform | undefined, want: PlatformSpec): boolean {
  if (have === undefined) return false;
  if (have.os !== want.os || have.architecture !== want.architecture) return false;
  if (want.variant === undefined && want.architecture !== 'arm') return true;
  return normalVariant(have.architecture, have.variant) === normalVariant(want.architecture, want.variant);
}

/** Picks the manifest for `want` from an index's entries; E_REGISTRY_PLATFORM listing what exists. */
export function selectPlatform(
  manifests: readonly Descriptor[],
  want: PlatformSpec,
  what: string,
): Descriptor {
  const candidates = manifests.filter((d) => platformMatches(d.platform, want));
  // Prefer an exact variant match over a defaulted one.
  const exact = candidates.find((d) => (d.platform?.variant ?? '') === (want.variant ?? ''));
  const hit = exact ?? candidates[0];
  if (hit !== undefined) return hit;
  const available = manifests
    .map((d) => d.platform)
    .filter((p): p is Platform => p !== undefined && p.os !== 'unknown')
    .map(formatPlatform);
  throw new GantryError(
    RegistryErrorCode.platform,
    `${what} has no image for platform ${formatPlatform(want)} (available: ${available.length > 0 ? available.join(', ') : 'none'})`,
    { hint: 'choose one of the available platforms with --platform' },
  );
}
