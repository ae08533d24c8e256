import type { BenchEnv } from '../lib/bench-env.ts';
import type { BuilderName } from '../lib/builders.ts';

/** A generated input: the context directory and its Dockerfile. */
export interface Prepared {
  contextDir: string;
  dockerfile: string;
  target?: string;
}

/** One timed build in a case's sequence; the first runs right after the builder's reset (cold). */
export interface BenchStep {
  label: string;
  /** The target for gantry ÷ docker build (median wall time), if it names one. */
  target?: number;
  /** Changes the input before this build (e.g. edits one file); `nonce` differs on every call. */
  before?: (p: Prepared, nonce: string) => Promise<void>;
}

export interface BenchCase {
  name: string;
  title: string;
  /** Writes the case's input under `dir` (reusing what an earlier run generated). */
  prepare(dir: string, env: BenchEnv): Promise<Prepared>;
  steps: BenchStep[];
}

export type { BuilderName };
