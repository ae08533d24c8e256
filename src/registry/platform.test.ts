import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGantryError } from '../errors/gantry-error.ts';
import type { Digest } from '../oci/digest.ts';
import type { Descriptor, Platform } from '../oci/types.ts';
import { hostPlatform, parsePlatform, platformMatches, selectPlatform } from './platform.ts';

const desc = (n: number, platform: Platform): Descriptor => ({
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  digest: `sha256:${String(n).repeat(64).slice(0, 64)}` as Digest,
  size: 1,
  platform,
});

describe('platforms', () => {
  it('parses os/arch[/variant]', () => {
    assert.deepEqual(parsePlatform('linux/amd64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(parsePlatform('linux/arm/v7'), { os: 'linux', architecture: 'arm', variant: 'v7' });
    assert.deepEqual(parsePlatform('linux/aarch64'), { os: 'linux', architecture: 'arm64' });
    for (const bad of ['linux', 'linux/', 'a/b/c/d', 'linux/arm/']) {
      assert.throws(
        () => parsePlatform(bad),
        (e) => isGantryError(e, 'E_PLATFORM_INVALID'),
      );
    }
  });
  it('maps the Node host platform', () => {
    assert.deepEqual(hostPlatform('linux', 'x64'), { os: 'linux', architecture: 'amd64' });
    assert.deepEqual(hostPlatform('linux', 'arm'), { os: 'linux', architecture: 'arm', variant: 'v7' });
  });
  const table: [Platform, string, boolean][] = [
    [{ os: 'linux', architecture: 'amd64' }, 'linux/amd64', true],
    [{ os: 'linux', architecture: 'arm64', variant: 'v8' }, 'linux/arm64', true],
    [{ os: 'linux', architecture: 'arm64' }, 'linux/arm64/v8', true],
    [{ os: 'linux', architecture: 'arm', variant: 'v6' }, 'linux/arm/v7', false],
    [{ os: 'linux', architecture: 'arm' }, 'linux/arm/v7', true],
    [{ os: 'windows', architecture: 'amd64' }, 'linux/amd64', false],
    [{ os: 'unknown', architecture: 'unknown' }, 'linux/amd64', false],
  ];
  for (const [have, want, ok] of table) {
    it(`${JSON.stringify(have)} ${ok ? 'matches' : 'does not match'} ${want}`, () => {
      assert.equal(platformMatches(have, parsePlatform(want)), ok);
    });
  }
  it('selects from an index and prefers an exact variant', () => {
    const list = [
      desc(1, { os: 'linux', architecture: 'amd64' }),
      desc(2, { os: 'linux', architecture: 'arm64', variant: 'v8' }),
      desc(3, { os: 'linux', architecture: 'arm', variant: 'v6' }),
      desc(4, { os: 'linux', architecture: 'arm', variant: 'v7' }),
    ];
    assert.equal(selectPlatform(list, parsePlatform('linux/arm/v7'), 'x').digest, list[3]!.digest);
    assert.equal(selectPlatform(list, parsePlatform('linux/arm64'), 'x').digest, list[1]!.digest);
    assert.throws(
      () => selectPlatform(list, parsePlatform('linux/s390x'), 'alpine:3'),
      (e) =>
        isGantryError(e, 'E_REGISTRY_PLATFORM') &&
        /alpine:3.*linux\/s390x.*linux\/amd64, linux\/arm64\/v8/.test(e.message),
    );
  });
});
