import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { buildRuntimeSpec, DEFAULT_CAPABILITIES, type RuntimeSpecOptions } from './runtime-spec.ts';

const base: RuntimeSpecOptions = {
  args: ['/bin/sh', '-c', 'true'],
  env: ['PATH=/bin'],
  cwd: '/work',
  user: { uid: 1000, gid: 1000, additionalGids: [1000, 2000] },
  hostname: 'buildkitsandbox',
  rootfs: '/scratch/rootfs',
  network: 'host',
  hostsPath: '/scratch/bundle/hosts',
  resolvConfPath: '/scratch/bundle/resolv.conf',
};

describe('buildRuntimeSpec', () => {
  test('process: args, env, cwd, user, Docker capabilities, new privileges allowed, no terminal', () => {
    const s = buildRuntimeSpec(base);
    assert.deepEqual(s.process.args, base.args);
    assert.deepEqual(s.process.env, base.env);
    assert.equal(s.process.cwd, '/work');
    assert.deepEqual(s.process.user, { uid: 1000, gid: 1000, additionalGids: [1000, 2000] });
    assert.equal(s.process.terminal, false);
    assert.equal(s.process.noNewPrivileges, false);
    assert.equal(DEFAULT_CAPABILITIES.length, 14);
    for (const set of [
      s.process.capabilities.bounding,
      s.process.capabilities.effective,
      s.process.capabilities.permitted,
    ]) {
      assert.deepEqual([...set].sort(), [...DEFAULT_CAPABILITIES].sort());
    }
    assert.ok(!s.process.capabilities.bounding.includes('CAP_SYS_ADMIN'));
    assert.equal(s.process.rlimits, undefined);
    assert.deepEqual(
      buildRuntimeSpec({ ...base, rlimits: [{ type: 'RLIMIT_NOFILE', soft: 9, hard: 9 }] }).process.rlimits,
      [{ type: 'RLIMIT_NOFILE', soft: 9, hard: 9 }],
    );
  });

  test('namespaces: a network namespace only for network=none', () => {
    const types = (n: 'host' | 'none') =>
      buildRuntimeSpec({ ...base, network: n })
        .linux.namespaces.map((x) => x.type)
        .sort();
    assert.deepEqual(types('host'), ['ipc', 'mount', 'pid', 'uts']);
    assert.deepEqual(types('none'), ['ipc', 'mount', 'network', 'pid', 'uts']);
  });

  test('mounts: kernel file systems, read-only /sys and cgroup, no /run, ro network files, extra mounts last', () => {
    const s = buildRuntimeSpec({
      ...base,
      mounts: [{ destination: '/cache', type: 'bind', source: '/store/c', options: ['rbind'] }],
    });
    const dest = s.mounts.map((m) => m.destination);
    assert.deepEqual(dest, [
      '/proc',
      '/dev',
      '/dev/pts',
      '/dev/shm',
      '/dev/mqueue',
      '/sys',
      '/sys/fs/cgroup',
      '/etc/resolv.conf',
      '/etc/hosts',
      '/cache',
    ]);
    const by = (d: string) => s.mounts.find((m) => m.destination === d)!;
    assert.ok(by('/sys').options?.includes('ro'));
    assert.ok(by('/sys/fs/cgroup').options?.includes('ro'));
    assert.equal(by('/dev').type, 'tmpfs');
    assert.equal(by('/etc/hosts').source, base.hostsPath);
    assert.deepEqual(by('/etc/hosts').options, ['nosuid', 'noexec', 'nodev', 'rbind', 'ro']);
    assert.equal(by('/etc/resolv.conf').source, base.resolvConfPath);
  });

  test('linux: masked and read-only paths, deny-all device rule, cgroups path, rootfs', () => {
    const s = buildRuntimeSpec({ ...base, cgroupsPath: '/gantry/x', readonlyRootfs: true });
    assert.ok(s.linux.maskedPaths.includes('/proc/kcore'));
    assert.ok(s.linux.maskedPaths.includes('/sys/firmware'));
    assert.ok(s.linux.readonlyPaths.includes('/proc/sys'));
    assert.ok(s.linux.readonlyPaths.includes('/proc/sysrq-trigger'));
    assert.deepEqual(s.linux.resources?.devices, [{ allow: false, access: 'rwm' }]);
    assert.equal(s.linux.cgroupsPath, '/gantry/x');
    assert.deepEqual(s.root, { path: '/scratch/rootfs', readonly: true });
    assert.equal(s.hostname, 'buildkitsandbox');
    assert.equal(buildRuntimeSpec(base).linux.cgroupsPath, undefined);
  });

  test('pure: same options give equal specs, and the result does not alias the input', () => {
    const a = buildRuntimeSpec(base);
    assert.deepEqual(a, buildRuntimeSpec(base));
    a.process.args.push('x');
    assert.equal(base.args.length, 3);
  });
});
