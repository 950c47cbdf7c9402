import { ProviderCapabilities } from '../../messaging/contracts/provider-capabilities';

/** Text limit of sendMessage; longer replies are refused by the core rather than split. */
export const TELEGRAM_MAX_TEXT_LENGTH = 4_096;
/** Caption limit of sendPhoto/sendDocument. */
export const TELEGRAM_MAX_CAPTION_LENGTH = 1_024;

export const TELEGRAM_CAPABILITIES: ProviderCapabilities = {
  maxTextLength: TELEGRAM_MAX_TEXT_LENGTH,
  outboundAttachments: true,
  editOwnMessages: false,
  deleteOwnMessages: false,
  groupChats: true,
  /** About 30 messages per second per bot (Bot FAQ). */
  maxSendsPerSecond: 30,
  delivery: 'push',
  signature: 'X-Telegram-Bot-Api-Secret-Token: <the secret_token this service gave setWebhook at registration>',
};
