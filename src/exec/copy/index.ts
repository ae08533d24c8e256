export { contentKey } from './content-key.ts';
export { parseChmod } from './parse-chmod.ts';
export { planCopy } from './plan-copy.ts';
export { resolveChown } from './resolve-chown.ts';
export { type TreeFingerprintRequest, treeFingerprint } from './tree-fingerprint.ts';
export type {
  CopyPlan,
  CopyRequest,
  CopySource,
  FileStatKey,
  HashCache,
  HeredocSource,
  Owner,
} from './types.ts';
