import { ProviderCapabilities } from '../../messaging/contracts/provider-capabilities';

export const TEST_CAPABILITIES: ProviderCapabilities = {
  maxTextLength: 4_096,
  outboundAttachments: false,
  editOwnMessages: false,
  deleteOwnMessages: false,
  groupChats: false,
  delivery: 'push',
  signature: 'X-Test-Token: <the channel token>',
};
