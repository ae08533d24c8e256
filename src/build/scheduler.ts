/**
 * Runs a graph of jobs (one per stage): each job once, after the jobs it depends on, at most
 * `concurrency` at a time. The first failure aborts the shared signal so running jobs stop and
 * clean up, no new job starts, and that first error is what `runGraph` rejects with.
 */
export interface GraphJob<T> {
  id: number;
  deps: number[];
  run: (ctx: { signal: AbortSignal; results: ReadonlyMap<number, T> }) => Promise<T>;
}

export interface RunGraphOptions {
  concurrency: number;
  /** Aborting it cancels the whole graph (SIGINT, a caller's timeout). */
  signal?: AbortSignal;
}

export async function runGraph<T>(jobs: GraphJob<T>[], opts: RunGraphOptions): Promise<Map<number, T>> {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const j of jobs) {
    for (const d of j.deps) if (!byId.has(d)) throw new Error(`job ${j.id} depends on unknown job ${d}`);
  }
  const controller = new AbortController();
  const onOuterAbort = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) controller.abort(opts.signal.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const results = new Map<number, T>();
  const started = new Set<number>();
  const running = new Set<Promise<void>>();
  let firstError: { error: unknown } | undefined;
  const limit = Math.max(1, opts.concurrency);

  const ready = () => jobs.filter((j) => !started.has(j.id) && j.deps.every((d) => results.has(d)));

  try {
    for (;;) {
      if (firstError === undefined && !controller.signal.aborted) {
        for (const j of ready()) {
          if (running.size >= limit) break;
          started.add(j.id);
          const p: Promise<void> = j
            .run({ signal: controller.signal, results })
            .then(
              (r) => {
                results.set(j.id, r);
              },
              (error: unknown) => {
                if (firstError === undefined) firstError = { error };
                controller.abort(error);
              },
            )
            .finally(() => running.delete(p));
          running.add(p);
        }
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  if (firstError !== undefined) throw firstError.error;
  if (controller.signal.aborted) throw controller.signal.reason ?? new Error('build cancelled');
  if (results.size !== jobs.length) {
    const stuck = jobs.filter((j) => !results.has(j.id)).map((j) => j.id);
    throw new Error(`jobs ${stuck.join(', ')} never became ready (a dependency cycle?)`);
  }
  return results;
}
