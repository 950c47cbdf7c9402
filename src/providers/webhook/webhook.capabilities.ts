import { ProviderCapabilities } from '../../messaging/contracts/provider-capabilities';

export const WEBHOOK_CAPABILITIES: ProviderCapabilities = {
  maxTextLength: 20_000,
  outboundAttachments: true,
  editOwnMessages: false,
  deleteOwnMessages: false,
  groupChats: true,
  delivery: 'push',
  signature: 'X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed with the channel secret>',
};
