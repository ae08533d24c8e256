import type { Range } from '../../errors/dockerfile-error.ts';
import type { ParseWarning } from '../ast.ts';
import type { LintConfig } from './lint-config.ts';
import type { CheckRule } from './rules.ts';

/** Collects rule reports, honouring skip/experimental settings (BuildKit Linter.Run). */
export interface Linter {
  run(rule: CheckRule, config: LintConfig, ranges: Range[], message: string): void;
  readonly warnings: ParseWarning[];
  /** Names of the rules that reported, first-seen order, unique. */
  readonly called: string[];
}

const sameRanges = (a: Range[], b: Range[]) => JSON.stringify(a) === JSON.stringify(b);

export function createLinter(): Linter {
  const warnings: ParseWarning[] = [];
  const called: string[] = [];
  return {
    warnings,
    called,
    run(rule, config, ranges, message) {
      if (rule.experimental) {
        if (!config.experimentalAll && !config.experimental.includes(rule.name)) return;
      } else if (config.skipAll || config.skip.includes(rule.name)) {
        return;
      }
      if (!called.includes(rule.name)) called.push(rule.name);
      // The same report twice (one variable used in two words of an instruction) is one warning.
      if (warnings.some((w) => w.rule === rule.name && w.message === message && sameRanges(w.ranges, ranges)))
        return;
      const w: ParseWarning = { rule: rule.name, message, ranges };
      if (rule.url !== undefined) w.url = rule.url;
      warnings.push(w);
    },
  };
}
