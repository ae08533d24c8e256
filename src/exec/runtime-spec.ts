import type { NetworkMode } from './network-files.ts';
import type { ProcessUser } from './resolve-user.ts';
import type { RuntimeSpec, SpecMount, SpecRlimit } from './runtime-spec-types.ts';

/** Docker's default capability set (moby's and containerd's default spec). */
export const DEFAULT_CAPABILITIES: readonly string[] = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FSETID',
  'CAP_FOWNER',
  'CAP_MKNOD',
  'CAP_NET_RAW',
  'CAP_SETGID',
  'CAP_SETUID',
  'CAP_SETFCAP',
  'CAP_SETPCAP',
  'CAP_NET_BIND_SERVICE',
  'CAP_SYS_CHROOT',
  'CAP_KILL',
  'CAP_AUDIT_WRITE',
];

/** Paths Docker hides from containers (bind of /dev/null, or an empty read-only tmpfs for dirs). */
export const MASKED_PATHS: readonly string[] = [
  '/proc/acpi',
  '/proc/asound',
  '/proc/kcore',
  '/proc/keys',
  '/proc/latency_stats',
  '/proc/timer_list',
  '/proc/timer_stats',
  '/proc/sched_debug',
  '/sys/firmware',
  '/sys/devices/virtual/powercap',
  '/proc/scsi',
];

export const READONLY_PATHS: readonly string[] = [
  '/proc/bus',
  '/proc/fs',
  '/proc/irq',
  '/proc/sys',
  '/proc/sysrq-trigger',
];

/**
 * The file systems every container gets, as containerd's default spec has them and BuildKit
 * changes them: no /run tmpfs (moby/buildkit#429), cgroupfs read-only.
 * runc creates /dev/null, zero, full, random, urandom, tty, /dev/fd and /dev/std* itself in the
 * /dev tmpfs, and allows them in the device cgroup on top of the deny-all rule below.
 */
function defaultMounts(): SpecMount[] {
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    {
      destination: '/dev',
      type: 'tmpfs',
      source: 'tmpfs',
      options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'],
    },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'],
    },
    {
      destination: '/dev/shm',
      type: 'tmpfs',
      source: 'shm',
      options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'],
    },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', 'ro'] },
    {
      destination: '/sys/fs/cgroup',
      type: 'cgroup',
      source: 'cgroup',
      options: ['ro', 'nosuid', 'noexec', 'nodev'],
    },
  ];
}

function roBind(source: string, destination: string): SpecMount {
  return { destination, type: 'bind', source, options: ['nosuid', 'noexec', 'nodev', 'rbind', 'ro'] };
}

export interface RuntimeSpecOptions {
  args: string[];
  env: string[];
  cwd: string;
  user: ProcessUser;
  hostname: string;
  /** Absolute path of the root file system (the overlay mount). */
  rootfs: string;
  network: NetworkMode;
  /** Host files bound read-only at /etc/hosts and /etc/resolv.conf (see writeNetworkFiles). */
  hostsPath: string;
  resolvConfPath: string;
  /** Extra mounts (RUN --mount), appended after the defaults in order. */
  mounts?: SpecMount[];
  readonlyRootfs?: boolean;
  /** cgroups v1/v2 path runc creates (and removes on delete); default `/gantry/<id>` is the caller's. */
  cgroupsPath?: string;
  /** Attach stdio to a terminal (gantry run with a TTY); build steps never do. */
  terminal?: boolean;
  /** Process rlimits (see defaultRlimits); none → the runtime's own limits are inherited. */
  rlimits?: readonly SpecRlimit[];
}

/**
 * The OCI runtime spec for one container, as BuildKit generates it on Linux (containerd's default
 * spec + BuildKit's changes): new mount, pid, ipc and uts namespaces (and network when `none`),
 * Docker's capabilities, masked and read-only paths, new privileges allowed.
 * Pure: same options, same object.
 */
export function buildRuntimeSpec(o: RuntimeSpecOptions): RuntimeSpec {
  const namespaces = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  if (o.network === 'none') namespaces.push({ type: 'network' });
  const caps = [...DEFAULT_CAPABILITIES];
  return {
    ociVersion: '1.0.2-dev',
    process: {
      terminal: o.terminal ?? false,
      user: { uid: o.user.uid, gid: o.user.gid, additionalGids: [...o.user.additionalGids] },
      args: [...o.args],
      env: [...o.env],
      cwd: o.cwd,
      capabilities: { bounding: caps, effective: [...caps], permitted: [...caps] },
      ...(o.rlimits === undefined || o.rlimits.length === 0
        ? {}
        : { rlimits: o.rlimits.map((r) => ({ ...r })) }),
      noNewPrivileges: false,
    },
    root: { path: o.rootfs, readonly: o.readonlyRootfs ?? false },
    hostname: o.hostname,
    mounts: [
      ...defaultMounts(),
      roBind(o.resolvConfPath, '/etc/resolv.conf'),
      roBind(o.hostsPath, '/etc/hosts'),
      ...(o.mounts ?? []).map((m) => ({ ...m, ...(m.options ? { options: [...m.options] } : {}) })),
    ],
    linux: {
      namespaces,
      ...(o.cgroupsPath === undefined ? {} : { cgroupsPath: o.cgroupsPath }),
      resources: { devices: [{ allow: false, access: 'rwm' }] },
      maskedPaths: [...MASKED_PATHS],
      readonlyPaths: [...READONLY_PATHS],
    },
  };
}
