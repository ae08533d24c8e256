/** Runner for envVarTest.json: `Lex.processWord` with BuildKit's fixed environment. */
import { envsFromSlice, Lex } from '../../../src/dockerfile/shell/index.ts';
import type { CaseOutcome, Runner } from '../types.ts';

interface EnvVarCase {
  id: string;
  platform: 'A' | 'U' | 'W';
  input: string;
  expected?: string;
  expect_error?: boolean;
}

interface EnvVarFile {
  semantics: { envs: Record<string, string> };
  cases: EnvVarCase[];
}

export const run: Runner = (data) => {
  const file = data as EnvVarFile;
  const env = envsFromSlice(Object.entries(file.semantics.envs).map(([k, v]) => `${k}=${v}`));
  const lex = new Lex({ escapeToken: '\\' });
  return file.cases.map((c): CaseOutcome => {
    if (c.platform === 'W') return { id: c.id, status: 'skip', detail: 'Windows-only' };
    let got: string;
    try {
      got = lex.processWord(c.input, env);
    } catch (e) {
      if (c.expect_error === true) return { id: c.id, status: 'pass' };
      return {
        id: c.id,
        status: 'fail',
        detail: `input ${JSON.stringify(c.input)}: unexpected error ${String(e)}`,
      };
    }
    if (c.expect_error === true) {
      return {
        id: c.id,
        status: 'fail',
        detail: `input ${JSON.stringify(c.input)}: expected an error, got ${JSON.stringify(got)}`,
      };
    }
    if (got !== c.expected) {
      return {
        id: c.id,
        status: 'fail',
        detail: `input ${JSON.stringify(c.input)}: expected ${JSON.stringify(c.expected)}, got ${JSON.stringify(got)}`,
      };
    }
    return { id: c.id, status: 'pass' };
  });
};
