export { type Digest, digestHex, isDigest, parseDigest, sha256Digest } from './digest.ts';
export {
  isGzipLayer,
  isIndexMediaType,
  isManifestMediaType,
  MediaType,
  type MediaTypeName,
} from './media-types.ts';
export type {
  ContainerConfig,
  Descriptor,
  HealthConfig,
  HistoryEntry,
  ImageConfig,
  ImageIndex,
  ImageManifest,
  Platform,
} from './types.ts';
