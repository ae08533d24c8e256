/** Enough of containerd's platforms.Parse to tell a valid constant platform from a typo. */
export interface PlatformSpec {
  os: string;
  architecture: string;
  variant: string;
}

const KNOWN_OS = new Set([
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
]);
const KNOWN_ARCH = new Set([
  '386',
  'amd64',
  'amd64p32',
  'arm',
  'armbe',
  'arm64',
  'arm64be',
  'loong64',
  'mips',
  'mipsle',
  'mips64',
  'mips64le',
  'mips64p32',
  'mips64p32le',
  'ppc',
  'ppc64',
  'ppc64le',
  'riscv',
  'riscv64',
  's390',
  's390x',
  'sparc',
  'sparc64',
  'wasm',
]);

function normalizeArch(arch: string, variant: string): [string, string] {
  const a = arch.toLowerCase();
  const v = variant.toLowerCase();
  switch (a) {
    case 'i386':
      return ['386', ''];
    case 'x86_64':
    case 'x86-64':
    case 'amd64':
      return ['amd64', v === 'v1' ? '' : v];
    case 'aarch64':
    case 'arm64':
      return ['arm64', v === '8' || v === 'v8' ? '' : v];
    case 'armhf':
      return ['arm', 'v7'];
    case 'armel':
      return ['arm', 'v6'];
    case 'arm':
      return ['arm', v === '' || v === '7' ? 'v7' : v === '5' || v === '6' || v === '8' ? `v${v}` : v];
    default:
      return [a, v];
  }
}

/**
 * Parses `os[/arch[/variant]]` or a lone os or architecture; undefined when containerd would
 * reject it. `defaults` fills the part a lone specifier leaves out.
 */
export function parsePlatformSpec(
  spec: string,
  defaults: { os: string; architecture: string },
): PlatformSpec | undefined {
  if (spec.includes('*') || spec === '') return undefined;
  const parts = spec.split('/');
  if (parts.some((p) => !/^[A-Za-z0-9_.-]+$/.test(p))) return undefined;
  if (parts.length === 1) {
    const p = parts[0]!.toLowerCase();
    if (KNOWN_OS.has(p)) return { os: p, architecture: defaults.architecture, variant: '' };
    const [a, v] = normalizeArch(p, '');
    if (KNOWN_ARCH.has(a)) return { os: defaults.os, architecture: a, variant: v };
    return undefined;
  }
  if (parts.length > 3) return undefined;
  const os = parts[0]!.toLowerCase();
  if (!KNOWN_OS.has(os)) return undefined;
  const [a, v] = normalizeArch(parts[1]!, parts[2] ?? '');
  return { os, architecture: a, variant: v };
}
