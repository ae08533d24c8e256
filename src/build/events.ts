import type { ParseWarning } from '../dockerfile/ast.ts';

/** What a build reports while it runs; the CLI renders these (tty, plain, json, quiet). */
export type BuildEvent =
  | { type: 'warning'; warning: ParseWarning; file: string }
  | { type: 'step-start'; id: number; stage: string; label: string; text: string }
  | { type: 'step-cached'; id: number }
  | { type: 'step-output'; id: number; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'step-done'; id: number; ms: number }
  | { type: 'step-error'; id: number; ms: number; message: string }
  | { type: 'info'; message: string }
  | { type: 'done'; summary: BuildSummary };

export interface StageSize {
  /** Stage name, or its index as a string. */
  stage: string;
  /** Sum of the uncompressed sizes of the stage's layers (its root filesystem). */
  bytes: number;
  layers: number;
}

export interface BuildSummary {
  /** The config digest (`sha256:...`), as `docker build` prints it. */
  imageId: string;
  /** The pushed or OCI-exported manifest's digest (gzip layers) when there is one, else the stored manifest's. */
  manifestDigest: string;
  tags: string[];
  /** The final image, then each stage it was built from. */
  sizes: StageSize[];
  ms: number;
}

export type BuildEventSink = (e: BuildEvent) => void;
