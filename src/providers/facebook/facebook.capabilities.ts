import { ProviderCapabilities } from '../../messaging/contracts/provider-capabilities';

export const FACEBOOK_CAPABILITIES: ProviderCapabilities = {
  maxTextLength: 2_000,
  outboundAttachments: true,
  editOwnMessages: false,
  deleteOwnMessages: false,
  groupChats: false,
  /** 300 Send API calls per second per Page. */
  maxSendsPerSecond: 300,
  delivery: 'push',
  signature: 'X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed with the App Secret>',
};
