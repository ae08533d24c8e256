import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { chainId, chainIds } from '../oci/chain-id.ts';
import { type Digest, sha256Digest } from '../oci/digest.ts';
import { canonicalJson } from './canonical-json.ts';
import { buildImageConfig, buildManifest, epochToCreated, historyEntry } from './image-config.ts';

const d = (s: string): Digest => sha256Digest(createHash('sha256').update(s).digest('hex'));

describe('canonicalJson', () => {
  test('key order does not change the bytes (any object, any insertion order)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const reversed = Object.fromEntries(Object.entries(obj).reverse());
        assert.equal(canonicalJson(obj), canonicalJson(reversed));
      }),
    );
  });
  test('sorts nested keys, drops undefined members, keeps array order', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, 1], c: undefined } }), '{"a":{"d":[3,1]},"b":1}');
  });
});

describe('chainIds', () => {
  test('first is the diffID; each next hashes "<prev> <diffID>"', () => {
    const [a, b, c] = [d('a'), d('b'), d('c')];
    const ab = `sha256:${createHash('sha256').update(`${a} ${b}`).digest('hex')}`;
    const abc = `sha256:${createHash('sha256').update(`${ab} ${c}`).digest('hex')}`;
    assert.deepEqual(chainIds([a, b, c]), [a, ab, abc]);
    assert.equal(chainId([a, b, c]), abc);
    assert.equal(chainId([]), undefined);
  });
});

describe('image config and manifest', () => {
  test('epochToCreated writes RFC 3339 seconds', () => {
    assert.equal(epochToCreated(0), '1970-01-01T00:00:00Z');
    assert.equal(epochToCreated(1700000000.9), '2023-11-14T22:13:20Z');
  });

  test('buildImageConfig carries platform, config, diff_ids and history', () => {
    const cfg = buildImageConfig({
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
      diffIds: [d('x')],
      config: { Cmd: ['sh'] },
      created: '2020-01-01T00:00:00Z',
      history: [
        historyEntry({ createdBy: 'COPY . /' }),
        historyEntry({ createdBy: 'CMD ["sh"]', emptyLayer: true }),
      ],
    });
    assert.equal(
      canonicalJson(cfg),
      canonicalJson({
        architecture: 'arm64',
        os: 'linux',
        variant: 'v8',
        created: '2020-01-01T00:00:00Z',
        config: { Cmd: ['sh'] },
        rootfs: { type: 'layers', diff_ids: [d('x')] },
        history: [{ created_by: 'COPY . /' }, { created_by: 'CMD ["sh"]', empty_layer: true }],
      }),
    );
  });

  test('history that does not match the layers is a bug', () => {
    assert.throws(
      () =>
        buildImageConfig({
          platform: { os: 'linux', architecture: 'amd64' },
          diffIds: [],
          history: [historyEntry({ createdBy: 'x' })],
        }),
      /1 layer entries for 0 diffIDs/,
    );
  });

  test('buildManifest is an OCI manifest; empty annotations are left out', () => {
    const config = { mediaType: 'application/vnd.oci.image.config.v1+json', digest: d('c'), size: 2 };
    const m = buildManifest({ config, layers: [], annotations: {} });
    assert.deepEqual(m, {
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config,
      layers: [],
    });
  });
});
