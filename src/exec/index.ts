export { checkRunSupport, decideRunSupport, type RunSupport } from './check-run-support.ts';
export {
  type CleanupFn,
  installSignalCleanup,
  pendingCleanups,
  registerCleanup,
  runCleanups,
} from './cleanup.ts';
export { type ContainerCommand, containerCommand, type RunOverrides } from './container-command.ts';
export { defaultRlimits } from './host-limits.ts';
export { mountOverlay, planOverlayMount, type Unmount, unmountPath } from './mount-overlay.ts';
export { excludeFilter, findMountStubs, layerExcludes } from './mount-stubs.ts';
export { mountsUnder } from './mounts-under.ts';
export {
  DEFAULT_HOSTNAME,
  hostsFileText,
  type NetworkMode,
  resolvConfText,
  writeNetworkFiles,
} from './network-files.ts';
export { DEFAULT_PATH, mergeEnv, withDefaultPath } from './process-env.ts';
export { mkdirAllInRoot, resolveInRoot } from './resolve-in-root.ts';
export { type ProcessUser, resolveUser, resolveUserFromDb } from './resolve-user.ts';
export { type OutputSink, runContainer } from './run-container.ts';
export { type RunImageOptions, runImageRootfs } from './run-image.ts';
export { type RunStepOptions, type RunStepResult, runStep, type StepProcess } from './run-step.ts';
export { type RuntimeName, runtimeBinary } from './runtime-binary.ts';
export { buildRuntimeSpec, type RuntimeSpecOptions } from './runtime-spec.ts';
export type { RuntimeSpec, SpecMount } from './runtime-spec-types.ts';
export { cacheDir, prepareStepMounts, type StepMount } from './step-mounts.ts';
