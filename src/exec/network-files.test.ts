import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hostsFileText, resolvConfText } from './network-files.ts';

describe('hostsFileText', () => {
  test('localhost and the hostname, IPv4 and IPv6 (BuildKit layout)', () => {
    assert.equal(
      hostsFileText('buildkitsandbox'),
      '127.0.0.1\tlocalhost buildkitsandbox\n::1\tlocalhost ip6-localhost ip6-loopback\n',
    );
  });
});

describe('resolvConfText', () => {
  const defaults =
    'nameserver 8.8.8.8\nnameserver 8.8.4.4\nnameserver 2001:4860:4860::8888\nnameserver 2001:4860:4860::8844\n';
  const cases: { name: string; host: string | undefined; network: 'host' | 'none'; want: string }[] = [
    {
      name: 'host network keeps the host file',
      host: 'nameserver 127.0.0.53\nsearch lan\n',
      network: 'host',
      want: 'nameserver 127.0.0.53\nsearch lan\n',
    },
    {
      name: 'host network, no nameserver → defaults',
      host: 'search lan\n',
      network: 'host',
      want: `search lan\n${defaults}`,
    },
    { name: 'no host file → defaults', host: undefined, network: 'none', want: defaults },
    {
      name: 'none drops localhost servers',
      host: 'nameserver 127.0.0.1\nnameserver 10.0.0.2\noptions ndots:2\n',
      network: 'none',
      want: 'nameserver 10.0.0.2\noptions ndots:2\n',
    },
    {
      name: 'none with only localhost → defaults',
      host: 'nameserver 127.0.0.53\nnameserver ::1\nsearch x\n',
      network: 'none',
      want: `search x\n${defaults}`,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(resolvConfText(c.host, c.network), c.want);
    });
  }
});
