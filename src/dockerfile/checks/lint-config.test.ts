import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configFromComments, EMPTY_LINT_CONFIG, mergeLintConfig, parseLintConfig } from './lint-config.ts';

describe('parseLintConfig', () => {
  const ok: [string, Partial<typeof EMPTY_LINT_CONFIG>][] = [
    ['', {}],
    ['skip=A,B', { skip: ['A', 'B'] }],
    [' skip = A , B ;error=true', { skip: ['A', 'B'], error: true }],
    ['skip=all', { skipAll: true }],
    ['experimental=all;error=1', { experimentalAll: true, error: true }],
    ['experimental=X', { experimental: ['X'] }],
    ['error=false', {}],
    ['skip=A;error=true;skip=B;x=y', { skip: ['B;x=y'], error: true }],
  ];
  for (const [value, want] of ok) {
    it(JSON.stringify(value), () =>
      assert.deepEqual(parseLintConfig(value), { ...EMPTY_LINT_CONFIG, ...want }),
    );
  }
  const bad: [string, string][] = [
    ['skip', 'invalid check option "skip"'],
    ['foo=bar', 'invalid check option "foo"'],
    [
      'error=yes',
      'failed to parse check option "error=yes": strconv.ParseBool: parsing "yes": invalid syntax',
    ],
  ];
  for (const [value, message] of bad) {
    it(`rejects ${JSON.stringify(value)}`, () =>
      assert.throws(() => parseLintConfig(value), { code: 'E_CHECK_OPTIONS', message }));
  }
});

describe('merging', () => {
  it('adds skips and experimental rules but keeps error', () => {
    const merged = mergeLintConfig(
      { ...EMPTY_LINT_CONFIG, skip: ['A'], error: true },
      parseLintConfig('skip=B;error=false'),
    );
    assert.deepEqual(merged.skip, ['A', 'B']);
    assert.equal(merged.error, true);
  });
  it('reads the first check= comment, up to a space', () => {
    const c = configFromComments(EMPTY_LINT_CONFIG, [
      'hello',
      'check=skip=JSONArgsRecommended trailing words',
      'check=skip=X',
    ]);
    assert.deepEqual(c.skip, ['JSONArgsRecommended']);
  });
  it('ignores an unparsable check= comment', () => {
    assert.equal(configFromComments(EMPTY_LINT_CONFIG, ['check=bogus']), EMPTY_LINT_CONFIG);
  });
});
