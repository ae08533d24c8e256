import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isGantryError } from '../../errors/gantry-error.ts';
import { parsePort, parsePortSpec, parsePorts } from './expose-ports.ts';
import { isIP } from './parse-ip.ts';

describe('parsePort', () => {
  const ok: [string, string[]][] = [
    ['80', ['80/tcp']],
    ['80/udp', ['80/udp']],
    ['80/UDP', ['80/udp']],
    ['8000-8002/sctp', ['8000/sctp', '8001/sctp', '8002/sctp']],
    ['8000-8000', ['8000/tcp']],
    ['1234:80', ['80/tcp']],
    ['127.0.0.1:1234:80', ['80/tcp']],
    ['[::1]:80:80', ['80/tcp']],
    ['::1:80:80', ['80/tcp']],
    ['0.0.0.0:1000-1001:80', ['80/tcp']],
  ];
  for (const [input, want] of ok) it(input, () => assert.deepEqual(parsePort(input), want));

  const bad: [string, string][] = [
    ['/tcp', 'invalid port: "/tcp": no port specified'],
    ['80/http', 'invalid port: "80/http": invalid proto: http'],
    ['abc', 'invalid containerPort: abc'],
    ['70000', 'invalid containerPort: 70000'],
    ['90-80', 'invalid containerPort: 90-80'],
    ['x:80', 'invalid hostPort: x'],
    ['localhost:8080:80', 'invalid IP address: localhost'],
    ['1.2.3.256:1:80', 'invalid IP address: 1.2.3.256'],
    ['1000-1002:80-81', 'invalid ranges specified for container and host Ports: 80-81 and 1000-1002'],
  ];
  for (const [input, message] of bad) {
    it(`rejects ${input}`, () => {
      assert.throws(
        () => parsePort(input),
        (e) => isGantryError(e, 'E_DOCKERFILE_EXPOSE') && e.message === message,
      );
    });
  }

  it('keeps the protocol as written and the ip/host parts for the checks', () => {
    assert.deepEqual(parsePortSpec('1.2.3.4:90:80/TCP'), {
      ports: ['80/tcp'],
      ip: '1.2.3.4',
      hostPort: '90',
      proto: 'TCP',
    });
  });

  it('concatenates lists', () => assert.deepEqual(parsePorts(['1/udp', '2']), ['1/udp', '2/tcp']));

  it('expands every range to end-start+1 ports', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 50 }), (start, len) => {
        const end = Math.min(65535, start + len);
        const got = parsePort(`${start}-${end}/udp`);
        assert.equal(got.length, end - start + 1);
        assert.equal(got[0], `${start}/udp`);
      }),
    );
  });
});

describe('isIP', () => {
  const table: [string, boolean][] = [
    ['0.0.0.0', true],
    ['255.255.255.255', true],
    ['01.2.3.4', false],
    ['1.2.3', false],
    ['::', true],
    ['::1', true],
    ['2001:4860:0:2001::68', true],
    ['1:2:3:4:5:6:7:8', true],
    ['1:2:3:4:5:6:7:8::', false],
    ['1::2::3', false],
    ['::ffff:1.2.3.4', true],
    ['fe80::1%eth0', false],
    ['12345::', false],
  ];
  for (const [s, want] of table) it(s, () => assert.equal(isIP(s), want));
});
