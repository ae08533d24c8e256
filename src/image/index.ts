export { chainId, chainIds } from '../oci/chain-id.ts';
export { type ApplyLayerOptions, type ApplyLayerResult, applyLayer } from './apply-layer.ts';
export { canonicalJson, canonicalJsonBytes } from './canonical-json.ts';
export { type CompressImageOptions, compressImage } from './compress-image.ts';
export { type EntriesFromDirectoryOptions, entriesFromDirectory } from './entries-from-directory.ts';
export {
  type BuildImageConfigOptions,
  type BuildManifestOptions,
  buildImageConfig,
  buildManifest,
  epochToCreated,
  type HistoryEntryOptions,
  historyEntry,
} from './image-config.ts';
export { type ImportedImage, type ImportRootfsOptions, importRootfs } from './import-rootfs.ts';
export {
  compareEntries,
  type LayerEntry,
  type LayerEntryType,
  OPAQUE_MARKER,
  WHITEOUT_PREFIX,
} from './layer-entry.ts';
export { type PutImageOptions, putImage, type StoredImage } from './put-image.ts';
export { type LoadedImage, readImage } from './read-image.ts';
export { readTar, type TarEntry, type TarEntryHeader } from './read-tar.ts';
export { type WriteLayerOptions, type WrittenLayer, writeLayer } from './write-layer.ts';
