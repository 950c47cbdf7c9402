import { ProviderCapabilities } from '../../messaging/contracts/provider-capabilities';

/** Text only: X wants DM media uploaded through its media API first, which this provider does not do. */
export const X_CAPABILITIES: ProviderCapabilities = {
  maxTextLength: 10_000,
  outboundAttachments: false,
  editOwnMessages: false,
  deleteOwnMessages: false,
  groupChats: true,
  delivery: 'pull',
  signature: 'none: X channels are polled (GET /2/dm_events) and take no webhooks',
};
