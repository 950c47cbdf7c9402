import { ipLiteralOf, isPrivateAddress, isPrivateHost, publicOnlyLookup } from './private-network';

describe(isPrivateAddress.name, () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:10.0.0.1',
  ])('calls %s private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '172.32.0.1', '192.169.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'calls %s public',
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe(ipLiteralOf.name, () => {
  it('reads IPv4 and bracketed IPv6 hosts, and nothing else', () => {
    expect(ipLiteralOf('127.0.0.1')).toBe('127.0.0.1');
    expect(ipLiteralOf('[::1]')).toBe('::1');
    expect(ipLiteralOf('crm.example.com')).toBeUndefined();
  });
});

describe(isPrivateHost.name, () => {
  it('refuses literal private addresses and names that resolve to one', async () => {
    expect(await isPrivateHost('10.0.0.8')).toBe(true);
    expect(await isPrivateHost('[::1]')).toBe(true);
    expect(await isPrivateHost('localhost')).toBe(true);
    expect(await isPrivateHost('93.184.215.14')).toBe(false);
  });

  it('does not call a name that does not resolve private', async () => {
    expect(await isPrivateHost('no-such-host.invalid')).toBe(false);
  });
});

describe(publicOnlyLookup.name, () => {
  it('refuses to connect to a name that resolves to a private address', async () => {
    await expect(publicOnlyLookup('localhost')).rejects.toThrow(/private network address/);
  });
});
