import type { Digest } from '../oci/digest.ts';
import type { Descriptor, ImageConfig, Platform } from '../oci/types.ts';
import type { StageState } from '../plan/stage-state.ts';
import type { BuildEventSink } from './events.ts';

/** One layer of a stage's root filesystem. */
export interface BuiltLayer {
  diffId: Digest;
  /** The stored (compressed) blob. */
  descriptor: Descriptor;
  /** Bytes of the uncompressed tar (for size summaries); 0 when unknown. */
  size: number;
  /** When the layer was made (RFC 3339), for history; kept in the cache so a cached rebuild gives the same image. */
  created?: string;
}

/** What a finished stage hands to the stages that use it. */
export interface StageResult {
  index: number;
  label: string;
  state: StageState;
  layers: BuiltLayer[];
  /** The cache key of the last layer-producing step (or the base), for children's keys. */
  key: string;
  /** ONBUILD expressions of this stage's own ONBUILD instructions (triggered by `FROM <this stage>`). */
  onbuild: string[];
}

/** An image as the builder needs it: config and layers, from the store or a registry. */
export interface ResolvedImage {
  ref: string;
  manifest: Descriptor;
  config: ImageConfig;
  layers: BuiltLayer[];
}

export type OutputSpec =
  | { type: 'oci'; dest: string; tar: boolean }
  | { type: 'docker'; dest: string }
  | { type: 'local'; dest: string }
  | { type: 'registry' }
  | { type: 'image' };

/** A build secret (`--secret id=x,src=FILE|env=VAR`), read by the CLI; never stored anywhere. */
export interface SecretSpec {
  id: string;
  data: Buffer;
}

export interface BuildOptions {
  contextDir: string;
  /** Path of the Dockerfile (default `<context>/Dockerfile`). */
  dockerfile?: string;
  tags: string[];
  target?: string;
  buildArgs: Record<string, string>;
  noCache: boolean;
  /** Stage names whose steps ignore the cache. */
  noCacheFilter: string[];
  pull: 'always' | 'missing' | 'never';
  platform?: Platform;
  network: 'host' | 'none';
  runtime: string;
  /** Stages built at once; 0 = every stage whose dependencies are done (BuildKit's default). */
  jobs: number;
  outputs: OutputSpec[];
  secrets: SecretSpec[];
  /** Push the tags after the build (`--push`). */
  push: boolean;
  insecureRegistries: string[];
  /** Build-check options from the CLI (`--check skip=A,B;error=true` style). */
  checkSkip?: string[];
  checkError?: boolean;
  onEvent: BuildEventSink;
  signal?: AbortSignal;
  /** SOURCE_DATE_EPOCH in seconds: fixed timestamps, reproducible digests. */
  sourceDateEpoch?: number;
}
