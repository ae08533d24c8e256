import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CompiledPattern, compilePattern } from './compile-pattern.ts';

describe('compilePattern (upstream Pattern.compile, / separator)', () => {
  const table: [string, CompiledPattern][] = [
    ['src/main.go', { kind: 'exact' }],
    ['a+b(c)$d', { kind: 'exact' }],
    ['build/**', { kind: 'prefix', prefix: 'build/' }],
    ['x**', { kind: 'prefix', prefix: 'x' }],
    ['**', { kind: 'suffix', suffix: '' }],
    ['**.log', { kind: 'suffix', suffix: '.log' }],
    ['**/node_modules', { kind: 'suffix', suffix: '/node_modules' }],
    ['*.go', { kind: 'regexp', source: '^[^/]*\\.go$' }],
    ['a?', { kind: 'regexp', source: '^a[^/]$' }],
    ['**/*.md', { kind: 'regexp', source: '^(.*/)?[^/]*\\.md$' }],
    ['a/**/b', { kind: 'regexp', source: '^a/(.*/)?b$' }],
    ['**/x/**', { kind: 'regexp', source: '^(.*/)?x/.*$' }],
    ['[a-c]x', { kind: 'regexp', source: '^[a-c]x$' }],
    ['\\*', { kind: 'regexp', source: '^\\*$' }],
    ['a\\d', { kind: 'regexp', source: '^a\\d$' }],
    // upstream's escape bitmap misses `|`, `{`, `}`: they reach the regexp raw
    ['a|b*', { kind: 'regexp', source: '^a|b[^/]*$' }],
    ['x{2}*', { kind: 'regexp', source: '^x{2}[^/]*$' }],
    ['(*)', { kind: 'regexp', source: '^\\([^/]*\\)$' }],
  ];
  for (const [pattern, expected] of table) {
    it(JSON.stringify(pattern), () => assert.deepEqual(compilePattern(pattern), expected));
  }
});
