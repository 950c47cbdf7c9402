import { ProviderCapabilities } from '../../messaging/contracts/provider-capabilities';

export const WHATSAPP_CAPABILITIES: ProviderCapabilities = {
  maxTextLength: 4_096,
  outboundAttachments: true,
  editOwnMessages: false,
  deleteOwnMessages: false,
  groupChats: false,
  /** 80 messages per second per phone number by default. */
  maxSendsPerSecond: 80,
  delivery: 'push',
  signature:
    'X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body keyed with the App Secret>; GET hub.challenge answered when hub.verify_token matches',
};
