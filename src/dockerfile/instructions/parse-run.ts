import { parseFlags } from './bflags.ts';
import { instructionError } from './instruction-error.ts';
import { parseDevice } from './parse-device.ts';
import { checkMountSyntax } from './parse-mount.ts';
import type { ParseRequest } from './parse-request.ts';
import { parseShellDependentCmdLine } from './parse-simple.ts';
import type { NetworkMode, RunInstruction, SecurityMode } from './types.ts';

const NETWORKS: readonly string[] = ['default', 'none', 'host'];
const SECURITY: readonly string[] = ['insecure', 'sandbox'];

/** RUN with --mount, --network, --security and --device (BuildKit parseRun and its hooks). */
export function parseRun(req: ParseRequest): RunInstruction {
  const flags = parseFlags(req.flags, [
    { name: 'device', type: 'strings' },
    { name: 'mount', type: 'strings' },
    { name: 'network', type: 'string', default: 'default' },
    { name: 'security', type: 'string', default: 'sandbox' },
  ]);
  const cmdline = parseShellDependentCmdLine(req);
  const devices = flags.strings('device').map((d) => parseDevice(d));
  const mounts = flags.strings('mount');
  for (const m of mounts) checkMountSyntax(m);
  const network = flags.string('network');
  if (!NETWORKS.includes(network)) {
    throw instructionError('E_DOCKERFILE_FLAG', `invalid network mode ${JSON.stringify(network)}`);
  }
  const security = flags.string('security');
  if (!SECURITY.includes(security)) {
    throw instructionError('E_DOCKERFILE_FLAG', `security ${JSON.stringify(security)} is not valid`);
  }
  return {
    ...req.base,
    kind: 'run',
    ...cmdline,
    mounts,
    network: network as NetworkMode,
    security: security as SecurityMode,
    devices,
    flagsUsed: flags.used(),
  };
}
