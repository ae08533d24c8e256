import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GraphJob, runGraph } from './scheduler.ts';

/** A latch that opens once `n` parties have arrived: proves jobs ran at the same time, without timing. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const opened = new Promise<void>((r) => {
    open = r;
  });
  return () => {
    arrived++;
    if (arrived === n) open();
    return opened;
  };
}

test('dependencies finish before their dependents start', async () => {
  const log: string[] = [];
  const job = (id: number, deps: number[]): GraphJob<number> => ({
    id,
    deps,
    run: async ({ results }) => {
      for (const d of deps) assert.ok(results.has(d), `dep ${d} of ${id} done`);
      log.push(`start ${id}`);
      await new Promise((r) => setImmediate(r));
      log.push(`end ${id}`);
      return id * 10;
    },
  });
  const res = await runGraph([job(2, [0, 1]), job(0, []), job(1, [0]), job(3, [2])], { concurrency: 4 });
  assert.deepEqual([...res.entries()].sort(), [
    [0, 0],
    [1, 10],
    [2, 20],
    [3, 30],
  ]);
  assert.ok(log.indexOf('end 0') < log.indexOf('start 1'));
  assert.ok(log.indexOf('end 1') < log.indexOf('start 2'));
  assert.ok(log.indexOf('end 2') < log.indexOf('start 3'));
});

test('independent jobs run at the same time (they meet at a barrier)', async () => {
  const meet = barrier(2);
  const jobs: GraphJob<string>[] = [0, 1].map((id) => ({
    id,
    deps: [],
    run: async () => {
      await meet();
      return `ok${id}`;
    },
  }));
  const res = await runGraph(jobs, { concurrency: 2 });
  assert.equal(res.size, 2);
});

test('without a limit every ready job runs at once (seven meet at a barrier)', async () => {
  const meet = barrier(7);
  const jobs: GraphJob<number>[] = [0, 1, 2, 3, 4, 5, 6].map((id) => ({
    id,
    deps: [],
    run: async () => {
      await meet();
      return id;
    },
  }));
  const res = await runGraph(jobs, { concurrency: Number.POSITIVE_INFINITY });
  assert.equal(res.size, 7);
});

test('the concurrency limit is respected', async () => {
  let now = 0;
  let max = 0;
  const jobs: GraphJob<void>[] = [0, 1, 2, 3, 4].map((id) => ({
    id,
    deps: [],
    run: async () => {
      now++;
      max = Math.max(max, now);
      await new Promise((r) => setImmediate(r));
      now--;
    },
  }));
  await runGraph(jobs, { concurrency: 2 });
  assert.equal(max, 2);
});

test('a shared dependency runs once', async () => {
  let runs = 0;
  const jobs: GraphJob<number>[] = [
    { id: 0, deps: [], run: async () => ++runs },
    { id: 1, deps: [0], run: async ({ results }) => results.get(0)! },
    { id: 2, deps: [0], run: async ({ results }) => results.get(0)! },
  ];
  const res = await runGraph(jobs, { concurrency: 3 });
  assert.equal(runs, 1);
  assert.equal(res.get(1), 1);
  assert.equal(res.get(2), 1);
});

test('the first failure cancels running jobs and starts nothing new', async () => {
  const started: number[] = [];
  let sawAbort = false;
  const boom = new Error('step failed');
  const jobs: GraphJob<void>[] = [
    {
      id: 0,
      deps: [],
      run: async () => {
        started.push(0);
        await new Promise((r) => setImmediate(r));
        throw boom;
      },
    },
    {
      id: 1,
      deps: [],
      run: ({ signal }) => {
        started.push(1);
        return new Promise<void>((_, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(new Error('cancelled'));
          });
        });
      },
    },
    { id: 2, deps: [0], run: async () => void started.push(2) },
  ];
  await assert.rejects(runGraph(jobs, { concurrency: 2 }), (e) => e === boom);
  assert.ok(sawAbort, 'the running job saw the abort');
  assert.deepEqual(started.sort(), [0, 1]);
});

test('an outer abort cancels the graph', async () => {
  const outer = new AbortController();
  const jobs: GraphJob<void>[] = [
    {
      id: 0,
      deps: [],
      run: ({ signal }) =>
        new Promise<void>((_, rej) => signal.addEventListener('abort', () => rej(new Error('stopped')))),
    },
  ];
  const p = runGraph(jobs, { concurrency: 1, signal: outer.signal });
  outer.abort(new Error('SIGINT'));
  await assert.rejects(p, /stopped|SIGINT/);
});

test('a cycle is reported instead of hanging', async () => {
  const jobs: GraphJob<void>[] = [
    { id: 0, deps: [1], run: async () => {} },
    { id: 1, deps: [0], run: async () => {} },
  ];
  await assert.rejects(runGraph(jobs, { concurrency: 1 }), /never became ready/);
});

test('without a limit a job starts after its start deps only and waits for the rest itself', async () => {
  let job1Started!: () => void;
  const started1 = new Promise<void>((r) => {
    job1Started = r;
  });
  const jobs: GraphJob<string>[] = [
    {
      id: 0,
      deps: [],
      // Cannot end before job 1 has started: proves job 1 did not wait for it to start.
      run: async () => {
        await started1;
        return 'zero';
      },
    },
    {
      id: 1,
      deps: [0],
      startDeps: [],
      run: async ({ results, waitFor }) => {
        job1Started();
        assert.equal(results.has(0), false);
        const zero = await waitFor(0);
        assert.equal(results.get(0), zero);
        await assert.rejects(waitFor(5), /not a dep/);
        return `after ${zero}`;
      },
    },
  ];
  const res = await runGraph(jobs, { concurrency: Number.POSITIVE_INFINITY });
  assert.equal(res.get(1), 'after zero');
});

test('with a limit every dep is a start dep (a waiting job must not hold a slot)', async () => {
  const log: string[] = [];
  const jobs: GraphJob<number>[] = [
    {
      id: 0,
      deps: [],
      run: async () => {
        log.push('end 0');
        return 0;
      },
    },
    {
      id: 1,
      deps: [0],
      startDeps: [],
      run: async ({ results }) => {
        log.push(`start 1, 0 done: ${results.has(0)}`);
        return 1;
      },
    },
  ];
  await runGraph(jobs, { concurrency: 1 });
  assert.deepEqual(log, ['end 0', 'start 1, 0 done: true']);
});

test('a job waiting for a dep that fails is released, and the first failure is reported', async () => {
  let waiterSaw: unknown;
  const jobs: GraphJob<number>[] = [
    {
      id: 0,
      deps: [],
      run: async () => {
        await new Promise((r) => setImmediate(r));
        throw new Error('stage 0 broke');
      },
    },
    {
      id: 1,
      deps: [0],
      startDeps: [],
      run: async ({ waitFor }) => {
        try {
          return await waitFor(0);
        } catch (e) {
          waiterSaw = e;
          throw e;
        }
      },
    },
  ];
  await assert.rejects(runGraph(jobs, { concurrency: Number.POSITIVE_INFINITY }), /stage 0 broke/);
  assert.match(String(waiterSaw), /stage 0 broke/);
});
