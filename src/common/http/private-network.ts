import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Loopback, private, link-local, carrier-grade NAT and unspecified ranges: the same ranges the
 * attachment downloader refuses (common/http/file-download.ts), for the same reason (SSRF).
 */
const PRIVATE_NETWORKS = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE_NETWORKS.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  PRIVATE_NETWORKS.addSubnet(network, prefix, 'ipv6');
}

export const PRIVATE_NETWORK_HINT = 'set ALLOW_PRIVATE_NETWORK_FETCH=true to allow';

export class PrivateNetworkRefusedError extends Error {
  constructor(host: string) {
    super(`refused to connect to ${host}: it is a private network address (${PRIVATE_NETWORK_HINT})`);
  }
}

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // BlockList does not match IPv4-mapped IPv6 (::ffff:127.0.0.1) against IPv4 subnets.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE_NETWORKS.check(mapped[1], 'ipv4');
  return PRIVATE_NETWORKS.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The URL host as an IP address when it is written as one (brackets of IPv6 removed), else undefined. */
export function ipLiteralOf(hostname: string): string | undefined {
  const host = hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : undefined;
}

/**
 * Whether `hostname` is, or resolves to, a private address. A name that does not resolve is not
 * called private: a delivery to it fails and is retried like any unreachable receiver.
 */
export async function isPrivateHost(hostname: string): Promise<boolean> {
  const literal = ipLiteralOf(hostname);
  if (literal) return isPrivateAddress(literal);
  const addresses = await lookup(hostname, { all: true }).catch(() => []);
  return addresses.some(({ address }) => isPrivateAddress(address));
}

/**
 * A `lookup` for the HTTP client that refuses private addresses at connect time, so a name that
 * resolved to a public address when the subscription was saved cannot be re-pointed inside later.
 */
export async function publicOnlyLookup(hostname: string): Promise<[LookupAddress[]]> {
  const addresses = await lookup(hostname, { all: true });
  if (addresses.some(({ address }) => isPrivateAddress(address))) throw new PrivateNetworkRefusedError(hostname);
  return [addresses];
}
