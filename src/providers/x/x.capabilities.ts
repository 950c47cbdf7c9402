import { ProviderCapabilities } from '../../messaging/contracts/provider-capabilities';

/** Text only: X wants DM media uploaded through its media API first, which this provider does not do. */
export const X_CAPABILITIES: ProviderCapabilities = {
  maxTextLength: 10_000,
  outboundAttachments: false,
  editOwnMessages: false,
  deleteOwnMessages: false,
  groupChats: true,
  /** No published per-second figure for DM sends; one per second stays far under the 15-minute windows. */
  maxSendsPerSecond: 1,
  delivery: 'pull',
  signature: 'none: X channels are polled (GET /2/dm_events) and take no webhooks',
};
