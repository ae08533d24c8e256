/** The part of the OCI runtime specification (config.json) gantry writes. */

export interface SpecMount {
  destination: string;
  type?: string;
  source?: string;
  options?: string[];
}

export interface SpecRlimit {
  type: string;
  hard: number;
  soft: number;
}

export interface SpecProcess {
  terminal: boolean;
  user: { uid: number; gid: number; additionalGids?: number[] };
  args: string[];
  env: string[];
  cwd: string;
  capabilities: { bounding: string[]; effective: string[]; permitted: string[] };
  rlimits?: SpecRlimit[];
  noNewPrivileges: boolean;
}

export interface SpecDeviceRule {
  allow: boolean;
  type?: string;
  major?: number;
  minor?: number;
  access?: string;
}

export interface SpecLinux {
  namespaces: { type: string; path?: string }[];
  cgroupsPath?: string;
  resources?: { devices?: SpecDeviceRule[] };
  maskedPaths: string[];
  readonlyPaths: string[];
}

export interface RuntimeSpec {
  ociVersion: string;
  process: SpecProcess;
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: SpecMount[];
  linux: SpecLinux;
}
