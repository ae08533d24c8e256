/**
 * Conformance driver: runs every case file of a BuildKit/patternmatcher corpus directory
 * (default ../shared/corpus/buildkit, or --corpus DIR) with the runner for its format.
 * Prints one line per file with its counts, then `N passed, M failed[, K skipped]`.
 * Exits non-zero if any case fails. Where the directory is absent it says so and skips.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseOutcome, Runner } from './types.ts';

const here = dirname(fileURLToPath(import.meta.url));
const defaultCorpus = resolve(here, '../../../shared/corpus/buildkit');

/** Corpus unit (JSON basename without extension, or the `parser` directory) → runner module. */
const RUNNERS: Record<string, string> = {
  parser: './runners/parser-testfiles.ts',
  envVarTest: './runners/env-var-test.ts',
  wordsTest: './runners/words-test.ts',
  shellProcessWord: './runners/shell-process-word.ts',
  patternmatcher: './runners/patternmatcher.ts',
  dockerignoreReadAll: './runners/dockerignore-read-all.ts',
  parserJSONArrays: './runners/parser-json-arrays.ts',
  parserWords: './runners/parser-words.ts',
  parserHeredocs: './runners/parser-heredocs.ts',
  directives: './runners/directives.ts',
  parserMisc: './runners/parser-misc.ts',
  instructions: './runners/instructions.ts',
  bflags: './runners/bflags.ts',
  runDevice: './runners/run-device.ts',
  exposePorts: './runners/expose-ports.ts',
  convert: './runners/convert.ts',
  errorsSourceMap: './runners/errors-source-map.ts',
};

function parseArgs(argv: string[]): { corpus: string; only: string | undefined; verbose: boolean } {
  let corpus = defaultCorpus;
  let only: string | undefined;
  let verbose = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--corpus') corpus = resolve(argv[++i] ?? '');
    else if (a.startsWith('--corpus=')) corpus = resolve(a.slice('--corpus='.length));
    else if (a === '--only') only = argv[++i];
    else if (a === '-v' || a === '--verbose') verbose = true;
    else if (a === '--') continue;
    else {
      console.error(`conformance: unknown argument ${a} (use --corpus DIR, --only UNIT, -v)`);
      process.exit(2);
    }
  }
  return { corpus, only, verbose };
}

async function main(): Promise<number> {
  const { corpus, only, verbose } = parseArgs(process.argv.slice(2));
  if (!existsSync(corpus) || !statSync(corpus).isDirectory()) {
    console.log(
      `conformance: corpus directory ${corpus} is absent; skipping (CI provides ../shared/corpus/buildkit)`,
    );
    console.log('0 passed, 0 failed, 1 skipped');
    return 0;
  }
  const units: { unit: string; path: string }[] = [];
  for (const name of readdirSync(corpus).sort()) {
    const p = join(corpus, name);
    if (name === 'parser' && statSync(p).isDirectory()) units.push({ unit: 'parser', path: p });
    else if (name.endsWith('.json')) units.push({ unit: basename(name, '.json'), path: p });
  }
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const { unit, path } of units) {
    if (only !== undefined && unit !== only) continue;
    const mod = RUNNERS[unit];
    if (mod === undefined) {
      console.log(`${unit}: no runner for this format, skipped`);
      skipped++;
      continue;
    }
    let outcomes: CaseOutcome[];
    try {
      const runner = ((await import(mod)) as { run: Runner }).run;
      const data = unit === 'parser' ? null : (JSON.parse(readFileSync(path, 'utf8')) as unknown);
      outcomes = await runner(data, { corpusDir: corpus, path });
    } catch (e) {
      outcomes = [
        {
          id: `${unit} (runner)`,
          status: 'fail',
          detail: e instanceof Error ? (e.stack ?? e.message) : String(e),
        },
      ];
    }
    const p = outcomes.filter((o) => o.status === 'pass').length;
    const f = outcomes.filter((o) => o.status === 'fail');
    const s = outcomes.filter((o) => o.status === 'skip');
    passed += p;
    failed += f.length;
    skipped += s.length;
    console.log(`${unit}: ${p} passed, ${f.length} failed${s.length ? `, ${s.length} skipped` : ''}`);
    for (const o of f) console.log(`  FAIL ${o.id}: ${o.detail ?? ''}`);
    if (verbose) for (const o of s) console.log(`  skip ${o.id}: ${o.detail ?? ''}`);
  }
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed > 0 ? 1 : 0;
}

process.exit(await main());
