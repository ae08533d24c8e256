import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGantryError } from '../errors/gantry-error.ts';
import { familiarName, familiarString, parseReference } from './reference.ts';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference normalizes', () => {
  const table: [
    string,
    { domain: string; path: string; tag?: string; digest?: string; str: string; familiar: string },
  ][] = [
    [
      'golang',
      {
        domain: 'docker.io',
        path: 'library/golang',
        tag: 'latest',
        str: 'docker.io/library/golang:latest',
        familiar: 'golang:latest',
      },
    ],
    [
      'golang:1.22',
      {
        domain: 'docker.io',
        path: 'library/golang',
        tag: '1.22',
        str: 'docker.io/library/golang:1.22',
        familiar: 'golang:1.22',
      },
    ],
    [
      'me/app',
      {
        domain: 'docker.io',
        path: 'me/app',
        tag: 'latest',
        str: 'docker.io/me/app:latest',
        familiar: 'me/app:latest',
      },
    ],
    [
      'docker.io/golang',
      {
        domain: 'docker.io',
        path: 'library/golang',
        tag: 'latest',
        str: 'docker.io/library/golang:latest',
        familiar: 'golang:latest',
      },
    ],
    [
      'index.docker.io/library/golang',
      {
        domain: 'docker.io',
        path: 'library/golang',
        tag: 'latest',
        str: 'docker.io/library/golang:latest',
        familiar: 'golang:latest',
      },
    ],
    [
      'docker.io/library/a/b',
      {
        domain: 'docker.io',
        path: 'library/a/b',
        tag: 'latest',
        str: 'docker.io/library/a/b:latest',
        familiar: 'library/a/b:latest',
      },
    ],
    [
      `localhost:5000/a/b:t@${D}`,
      {
        domain: 'localhost:5000',
        path: 'a/b',
        tag: 't',
        digest: D,
        str: `localhost:5000/a/b:t@${D}`,
        familiar: `localhost:5000/a/b:t@${D}`,
      },
    ],
    [
      `alpine@${D}`,
      {
        domain: 'docker.io',
        path: 'library/alpine',
        digest: D,
        str: `docker.io/library/alpine@${D}`,
        familiar: `alpine@${D}`,
      },
    ],
    [
      'localhost/app',
      {
        domain: 'localhost',
        path: 'app',
        tag: 'latest',
        str: 'localhost/app:latest',
        familiar: 'localhost/app:latest',
      },
    ],
    [
      '127.0.0.1:5000/x:t',
      {
        domain: '127.0.0.1:5000',
        path: 'x',
        tag: 't',
        str: '127.0.0.1:5000/x:t',
        familiar: '127.0.0.1:5000/x:t',
      },
    ],
    [
      '[::1]:5000/x',
      {
        domain: '[::1]:5000',
        path: 'x',
        tag: 'latest',
        str: '[::1]:5000/x:latest',
        familiar: '[::1]:5000/x:latest',
      },
    ],
    [
      'ghcr.io/o/r/s:v1.2.3-rc_1',
      {
        domain: 'ghcr.io',
        path: 'o/r/s',
        tag: 'v1.2.3-rc_1',
        str: 'ghcr.io/o/r/s:v1.2.3-rc_1',
        familiar: 'ghcr.io/o/r/s:v1.2.3-rc_1',
      },
    ],
    [
      'Registry/app',
      {
        domain: 'Registry',
        path: 'app',
        tag: 'latest',
        str: 'Registry/app:latest',
        familiar: 'Registry/app:latest',
      },
    ],
    [
      'f/a__b.c-d---e',
      {
        domain: 'docker.io',
        path: 'f/a__b.c-d---e',
        tag: 'latest',
        str: 'docker.io/f/a__b.c-d---e:latest',
        familiar: 'f/a__b.c-d---e:latest',
      },
    ],
    [
      'host:5000/app',
      {
        domain: 'host:5000',
        path: 'app',
        tag: 'latest',
        str: 'host:5000/app:latest',
        familiar: 'host:5000/app:latest',
      },
    ],
  ];
  for (const [input, want] of table) {
    it(input, () => {
      const r = parseReference(input);
      assert.equal(r.domain, want.domain);
      assert.equal(r.path, want.path);
      assert.equal(r.tag, want.tag);
      assert.equal(r.digest, want.digest);
      assert.equal(r.name, `${want.domain}/${want.path}`);
      assert.equal(r.toString(), want.str);
      assert.equal(familiarString(r), want.familiar);
    });
  }
  it('keeps no tag when asked', () => {
    assert.equal(parseReference('golang', { defaultTag: false }).tag, undefined);
  });
  it('familiarName drops docker.io and library/', () => {
    assert.equal(familiarName(parseReference('golang')), 'golang');
    assert.equal(familiarName(parseReference('me/x')), 'me/x');
    assert.equal(familiarName(parseReference('quay.io/me/x')), 'quay.io/me/x');
  });
});

describe('parseReference rejects', () => {
  const table: [string, RegExp][] = [
    ['', /empty/],
    ['Golang', /must be lowercase/],
    ['docker.io/Me/app', /must be lowercase/],
    ['a b', /white space/],
    ['a//b', /empty component/],
    ['a/', /empty component/],
    ['-a', /path component "-a"/],
    ['a:', /tag "" is invalid/],
    ['a:-x', /tag "-x" is invalid/],
    [`a:${'x'.repeat(129)}`, /tag .* is invalid/],
    ['a@sha256:xyz', /not a valid digest/],
    [`a@sha512:${'a'.repeat(128)}`, /not supported/],
    [`a@sha256:${'A'.repeat(64)}`, /not supported/],
    ['a'.repeat(64).replace(/a/g, 'f'), /image ID/],
    [`example.com/${'a'.repeat(250)}`, /longer than 255/],
    ['exa_mple.com/a', /registry host "exa_mple.com" is invalid/],
    [':tag', /repository name is empty/],
  ];
  for (const [input, why] of table) {
    it(JSON.stringify(input.slice(0, 40)), () => {
      assert.throws(
        () => parseReference(input),
        (e: unknown) => {
          assert.ok(isGantryError(e, 'E_REFERENCE_INVALID'), String(e));
          assert.match(e.message, why);
          assert.ok(
            e.message.includes(JSON.stringify(input.slice(0, 300)).slice(1, -1).slice(0, 30)),
            'message names the input',
          );
          assert.ok(e.hint !== undefined && e.hint.length > 0);
          return true;
        },
      );
    });
  }
});

describe('parseReference properties', () => {
  const component = fc.stringMatching(/^[a-z0-9]{1,8}(?:[._-][a-z0-9]{1,8})?$/);
  const tag = fc.stringMatching(/^\w[\w.-]{0,20}$/);
  it('toString of a parsed reference parses back to the same reference', () => {
    fc.assert(
      fc.property(
        fc.array(component, { minLength: 1, maxLength: 4 }),
        fc.option(tag, { nil: undefined }),
        (parts, t) => {
          const input = parts.join('/') + (t !== undefined ? `:${t}` : '');
          const r = parseReference(input);
          const again = parseReference(r.toString());
          assert.equal(again.toString(), r.toString());
          assert.equal(parseReference(familiarString(r)).toString(), r.toString());
        },
      ),
    );
  });
});
