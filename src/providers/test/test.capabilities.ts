import { ProviderCapabilities } from '../../messaging/contracts/provider-capabilities';

export const TEST_CAPABILITIES: ProviderCapabilities = {
  maxTextLength: 4_096,
  outboundAttachments: false,
  editOwnMessages: false,
  deleteOwnMessages: false,
  groupChats: false,
  /** A sandbox limit, so the rate limiting can be seen working. */
  maxSendsPerSecond: 20,
  delivery: 'push',
  signature: 'X-Test-Token: <the channel token>',
};
