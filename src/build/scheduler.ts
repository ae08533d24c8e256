/**
 * Runs a graph of jobs (one per stage): each job once, after the jobs it depends on, at most
 * `concurrency` at a time. The first failure aborts the shared signal so running jobs stop and
 * clean up, no new job starts, and that first error is what `runGraph` rejects with.
 *
 * Without a limit, a job may start once its `startDeps` are done and wait for its other deps
 * itself (`waitFor`), as BuildKit starts a stage's steps before a `COPY --from` source is built.
 * With a limit every dep is a start dep: a job holding a slot while it waits could deadlock.
 */
export interface GraphJob<T> {
  id: number;
  deps: number[];
  /** The deps that must be done before the job starts (default: all of `deps`). */
  startDeps?: number[];
  run: (ctx: {
    signal: AbortSignal;
    /** Results of the jobs done so far (every start dep is in it). */
    results: ReadonlyMap<number, T>;
    /** Resolves once dep `id` is done (then it is in `results`); rejects if the graph fails. */
    waitFor: (id: number) => Promise<T>;
  }) => Promise<T>;
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
  const startDeps = (j: GraphJob<T>) =>
    limit === Number.POSITIVE_INFINITY ? (j.startDeps ?? j.deps) : j.deps;
  for (const j of jobs) {
    for (const d of startDeps(j))
      if (!j.deps.includes(d)) throw new Error(`job ${j.id}: start dep ${d} is not a dep`);
  }

  // One settle-once promise per job, for `waitFor`; marked handled, as nobody may ask.
  const done = new Map<
    number,
    { promise: Promise<T>; resolve: (r: T) => void; reject: (e: unknown) => void }
  >();
  for (const j of jobs) {
    let resolve!: (r: T) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined);
    done.set(j.id, { promise, resolve, reject });
  }
  const failAll = (reason: unknown) => {
    for (const d of done.values()) d.reject(reason);
  };
  controller.signal.addEventListener(
    'abort',
    () => failAll(controller.signal.reason ?? new Error('build cancelled')),
    {
      once: true,
    },
  );
  if (controller.signal.aborted) failAll(controller.signal.reason);

  const ready = () => jobs.filter((j) => !started.has(j.id) && startDeps(j).every((d) => results.has(d)));

  try {
    for (;;) {
      if (firstError === undefined && !controller.signal.aborted) {
        for (const j of ready()) {
          if (running.size >= limit) break;
          started.add(j.id);
          const waitFor = (id: number): Promise<T> => {
            if (!j.deps.includes(id))
              return Promise.reject(new Error(`job ${j.id} waits for ${id}, not a dep`));
            return done.get(id)!.promise;
          };
          const p: Promise<void> = j
            .run({ signal: controller.signal, results, waitFor })
            .then(
              (r) => {
                results.set(j.id, r);
                done.get(j.id)!.resolve(r);
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
