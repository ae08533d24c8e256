export { chainId, chainIds } from '../oci/chain-id.ts';
export { defaultStoreRoot, type StoreRootInputs } from './default-store-root.ts';
export { openStore } from './open-store.ts';
export { type PruneOptions, type PruneResult, prune } from './prune.ts';
export type {
  BlobInfo,
  BlobStore,
  CacheIndex,
  CacheRecord,
  ExpectedBlob,
  RefStore,
  SnapshotStore,
  Store,
  StoreLease,
  StoreProblem,
} from './types.ts';
export { type VerifyResult, verifyStore } from './verify-store.ts';
export { type LockOptions, withLock } from './with-lock.ts';
