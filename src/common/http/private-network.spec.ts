import { ipLiteralOf, isPrivateAddress } from './private-network';

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
