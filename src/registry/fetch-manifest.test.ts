import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import { MediaType } from '../oci/media-types.ts';
import { parseManifestBytes } from './fetch-manifest.ts';

const D = `sha256:${'b'.repeat(64)}` as Digest;
const desc = { mediaType: MediaType.ociConfig, digest: D, size: 2 };
const manifest = (extra: object = {}) =>
  Buffer.from(JSON.stringify({ schemaVersion: 2, config: desc, layers: [], ...extra }));
const index = (extra: object = {}) =>
  Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ ...desc, mediaType: MediaType.ociManifest }],
      ...extra,
    }),
  );
const opts = (contentType: string) => ({
  contentType,
  digest: D,
  what: 'manifest of a:1',
  url: 'http://r/v2/a/manifests/1',
});

describe('parseManifestBytes', () => {
  const ok: [string, Buffer, string, string][] = [
    ['OCI manifest by header', manifest(), MediaType.ociManifest, MediaType.ociManifest],
    [
      'Docker manifest by header, field agrees',
      manifest({ mediaType: MediaType.dockerManifest }),
      `${MediaType.dockerManifest}; charset=utf-8`,
      MediaType.dockerManifest,
    ],
    [
      'Docker list by header',
      index({ mediaType: MediaType.dockerManifestList }),
      MediaType.dockerManifestList,
      MediaType.dockerManifestList,
    ],
    [
      'generic header, field decides',
      index({ mediaType: MediaType.ociIndex }),
      'application/json',
      MediaType.ociIndex,
    ],
    ['no header, no field: an index by shape', index(), '', MediaType.ociIndex],
    [
      'no header, no field: a manifest by shape',
      manifest(),
      'application/octet-stream',
      MediaType.ociManifest,
    ],
  ];
  for (const [name, bytes, ct, want] of ok) {
    it(name, () => {
      const p = parseManifestBytes(bytes, opts(ct));
      assert.equal(p.descriptor.mediaType, want);
      assert.equal(p.descriptor.size, bytes.length);
      assert.equal(p.kind, want.includes('index') || want.includes('list') ? 'index' : 'manifest');
    });
  }
  const bad: [string, Buffer, string, string, RegExp][] = [
    [
      'schema 1',
      manifest(),
      'application/vnd.docker.distribution.manifest.v1+prettyjws',
      'E_REGISTRY_MEDIA_TYPE',
      /schema 1/i,
    ],
    ['html', Buffer.from('<html>'), 'text/html', 'E_REGISTRY_MEDIA_TYPE', /text\/html/],
    [
      'header disagrees with field',
      manifest({ mediaType: MediaType.dockerManifest }),
      MediaType.ociManifest,
      'E_REGISTRY_MEDIA_TYPE',
      /rewrote/,
    ],
    [
      'artifact media type field',
      manifest({ mediaType: 'application/vnd.example+json' }),
      'application/json',
      'E_REGISTRY_MEDIA_TYPE',
      /vnd.example/,
    ],
    ['not JSON', Buffer.from('{'), MediaType.ociManifest, 'E_REGISTRY_MANIFEST_INVALID', /not JSON/],
    [
      'schemaVersion 1',
      manifest({ schemaVersion: 1 }),
      MediaType.ociManifest,
      'E_REGISTRY_MANIFEST_INVALID',
      /schemaVersion/,
    ],
    [
      'bad layer digest',
      manifest({ layers: [{ mediaType: 'x', digest: 'md5:1', size: 1 }] }),
      MediaType.ociManifest,
      'E_REGISTRY_MANIFEST_INVALID',
      /descriptor/,
    ],
    ['index without manifests', manifest(), MediaType.ociIndex, 'E_REGISTRY_MANIFEST_INVALID', /manifests/],
  ];
  for (const [name, bytes, ct, code, re] of bad) {
    it(`${name} → ${code}`, () => {
      assert.throws(
        () => parseManifestBytes(bytes, opts(ct)),
        (e) =>
          isGantryError(e, code) && re.test(`${e.message} ${e.hint}`) && /manifest of a:1/.test(e.message),
      );
    });
  }
});
