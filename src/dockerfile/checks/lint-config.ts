import { GantryError } from '../../errors/gantry-error.ts';

/** Which rules run and whether warnings fail the build (BuildKit linter.Config). */
export interface LintConfig {
  skipAll: boolean;
  skip: string[];
  experimentalAll: boolean;
  experimental: string[];
  /** `error=true`: any reported rule fails the build. */
  error: boolean;
}

export const EMPTY_LINT_CONFIG: LintConfig = {
  skipAll: false,
  skip: [],
  experimentalAll: false,
  experimental: [],
  error: false,
};

function parseGoBoolLoose(v: string, part: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v)) return false;
  throw new GantryError(
    'E_CHECK_OPTIONS',
    `failed to parse check option ${JSON.stringify(part)}: strconv.ParseBool: parsing ${JSON.stringify(v)}: invalid syntax`,
    { hint: 'Use error=true or error=false.' },
  );
}

const list = (v: string) => v.split(',').map((r) => r.trim());

/**
 * Parses a `# check=` value or the CLI's equivalent: `skip=A,B|all;experimental=C|all;error=BOOL`
 * (BuildKit ParseLintOptions: at most three `;`-separated parts; unknown keys are errors).
 */
export function parseLintConfig(value: string): LintConfig {
  const s = value.trim();
  const cfg: LintConfig = { ...EMPTY_LINT_CONFIG, skip: [], experimental: [] };
  if (s === '') return cfg;
  const parts: string[] = [];
  let rest = s;
  while (parts.length < 2 && rest.includes(';')) {
    const i = rest.indexOf(';');
    parts.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  parts.push(rest);
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq === -1) {
      throw new GantryError('E_CHECK_OPTIONS', `invalid check option ${JSON.stringify(p)}`, {
        hint: 'Write check options as skip=RULE,...;error=true',
      });
    }
    const k = p.slice(0, eq).trim();
    const v = p.slice(eq + 1).trim();
    switch (k) {
      case 'skip':
        if (v === 'all') cfg.skipAll = true;
        else cfg.skip = list(v);
        break;
      case 'experimental':
        if (v === 'all') cfg.experimentalAll = true;
        else cfg.experimental = list(v);
        break;
      case 'error':
        cfg.error = parseGoBoolLoose(v, p);
        break;
      default:
        throw new GantryError('E_CHECK_OPTIONS', `invalid check option ${JSON.stringify(k)}`, {
          hint: 'Known check options: skip, experimental, error.',
        });
    }
  }
  return cfg;
}

/** `base` with `other`'s skips and experimental rules added (error is not merged, as BuildKit). */
export function mergeLintConfig(base: LintConfig, other: LintConfig): LintConfig {
  return {
    skipAll: base.skipAll || other.skipAll,
    skip: [...base.skip, ...other.skip],
    experimentalAll: base.experimentalAll || other.experimentalAll,
    experimental: [...base.experimental, ...other.experimental],
    error: base.error,
  };
}

/**
 * `base` merged with the first `check=` directive among an instruction's comment lines
 * (BuildKit WithMergedConfigFromComments); an unparsable one leaves `base` unchanged.
 */
export function configFromComments(base: LintConfig, comments: readonly string[]): LintConfig {
  for (const c of comments) {
    const m = /^\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$/.exec(c);
    if (m === null || m[1]!.toLowerCase() !== 'check') continue;
    const v = m[2]!.split(' ')[0]!;
    try {
      return mergeLintConfig(base, parseLintConfig(v));
    } catch {
      return base;
    }
  }
  return base;
}
