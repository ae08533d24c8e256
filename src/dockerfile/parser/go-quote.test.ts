import assert from 'node:assert/strict';
import { it } from 'node:test';
import { goQuote, goQuoteList } from './go-quote.ts';

const table: [string, string][] = [
  ['plain', '"plain"'],
  ['', '""'],
  ['say "hi"', '"say \\"hi\\""'],
  ['C:\\dir', '"C:\\\\dir"'],
  ['\u0007\b\f\n\r\t\v', '"\\a\\b\\f\\n\\r\\t\\v"'],
  ['\u0000\u001b\u007f', '"\\x00\\x1b\\x7f"'],
  ['♥ ☃ é 日本', '"♥ ☃ é 日本"'],
  ['\u00a0\u2028\u200b\ufeff', '"\\u00a0\\u2028\\u200b\\ufeff"'],
  ['\u{1F600}', '"\u{1F600}"'],
  ['\u{E0001}', '"\\U000e0001"'],
  ['\ud800x', '"\\xed\\xa0\\x80x"'],
  ['\u0301', '"\u0301"'],
];

it('goQuote matches strconv.Quote', () => {
  for (const [input, want] of table) assert.equal(goQuote(input), want, JSON.stringify(input));
});

it('goQuoteList matches %q of a []string', () => {
  assert.equal(goQuoteList(['--a=1', 'b c']), '["--a=1" "b c"]');
  assert.equal(goQuoteList([]), '[]');
});
