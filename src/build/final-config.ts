import type { ImageConfig, Platform } from '../oci/types.ts';
import type { StageResult } from './types.ts';

/** The target stage's config as written to the store: platform, created time, and its layers' diffIDs. */
export function finalConfig(target: StageResult, platform: Platform, created: string): ImageConfig {
  const image = structuredClone(target.state.image);
  // Like BuildKit's `OnBuild,omitempty`: no triggers, no key.
  const { OnBuild, ...rest } = target.state.config;
  const imageConfig = OnBuild && OnBuild.length > 0 ? { ...rest, OnBuild } : rest;
  const config: ImageConfig = {
    created,
    ...(image.author !== undefined ? { author: image.author } : {}),
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    config: imageConfig,
    rootfs: { type: 'layers', diff_ids: target.layers.map((l) => l.diffId) },
    history: image.history ?? [],
  };
  return config;
}
