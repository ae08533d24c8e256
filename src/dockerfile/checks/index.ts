/** BuildKit's Dockerfile build checks (linter), as returned values. */
export { type LintConfig, mergeLintConfig, parseLintConfig } from './lint-config.ts';
export { type LintInput, type LintResult, lintDockerfile } from './lint-dockerfile.ts';
export { type CheckRule, MESSAGES, RULES, type RuleName } from './rules.ts';
