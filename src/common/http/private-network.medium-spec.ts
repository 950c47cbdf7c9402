import { isPrivateHost, publicOnlyLookup } from './private-network';

/** Host names go to the machine's resolver (DNS): I/O, so these checks are medium, not unit. */
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
