import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactHeaders, redactUrl, scrubSecrets } from './redact.ts';

describe('redactUrl', () => {
  const table: [string, string][] = [
    ['https://user:s3cret@reg.example/v2/', 'https://reg.example/v2/'],
    [
      'https://bucket.s3.amazonaws.com/blob?X-Amz-Signature=abc123&X-Amz-Credential=AKIA&X-Amz-Expires=60',
      'https://bucket.s3.amazonaws.com/blob?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&X-Amz-Expires=60',
    ],
    [
      'https://auth.example/token?service=reg&scope=repository:a:pull',
      'https://auth.example/token?service=reg&scope=repository:a:pull',
    ],
    [
      'https://auth.example/token?access_token=xyz&token=abc',
      'https://auth.example/token?access_token=REDACTED&token=REDACTED',
    ],
    [
      'http://127.0.0.1:5000/v2/a/blobs/uploads/u?_state=abc',
      'http://127.0.0.1:5000/v2/a/blobs/uploads/u?_state=abc',
    ],
    ['not a url', '<unparseable URL>'],
  ];
  for (const [input, want] of table) {
    it(input.slice(0, 60), () => {
      const got = redactUrl(input);
      assert.equal(got, want);
      for (const secret of ['s3cret', 'abc123', 'AKIA', 'xyz']) assert.ok(!got.includes(secret));
    });
  }
});

describe('redactHeaders', () => {
  it('hides credentials and keeps the rest', () => {
    const got = redactHeaders(
      new Headers({
        Authorization: 'Bearer tok.en.value',
        Cookie: 'a=b',
        Accept: 'application/json',
        'X-Registry-Auth': 'e30=',
      }),
    );
    assert.deepEqual(got, {
      authorization: 'Bearer REDACTED',
      cookie: 'REDACTED',
      accept: 'application/json',
      'x-registry-auth': 'REDACTED',
    });
  });
  it('accepts plain objects and keeps the Basic scheme', () => {
    assert.deepEqual(redactHeaders({ Authorization: 'Basic dXNlcjpwYXNz', 'Proxy-Authorization': 'x' }), {
      Authorization: 'Basic REDACTED',
      'Proxy-Authorization': 'REDACTED',
    });
  });
});

describe('scrubSecrets', () => {
  it('replaces every occurrence and ignores tiny or missing secrets', () => {
    assert.equal(
      scrubSecrets('pw hunter2 and hunter2 x', ['hunter2', undefined, 'x']),
      'pw REDACTED and REDACTED x',
    );
  });
});
