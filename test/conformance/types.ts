/** The contract between the conformance driver (run.ts) and one runner per corpus format. */
export interface CaseOutcome {
  id: string;
  status: 'pass' | 'fail' | 'skip';
  /** For fail: what differed; for skip: why. */
  detail?: string;
}

export interface RunnerContext {
  /** The corpus directory being run. */
  corpusDir: string;
  /** Absolute path of the case file (a JSON table) or directory (`parser/`). */
  path: string;
}

/** A runner gets one case file's parsed JSON (or, for directory formats, null) and judges each case. */
export type Runner = (data: unknown, ctx: RunnerContext) => CaseOutcome[] | Promise<CaseOutcome[]>;
