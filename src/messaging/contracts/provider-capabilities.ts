/** What a channel of this provider can do; the agent API refuses what it cannot. */
export interface ProviderCapabilities {
  /** Longest outgoing text the provider accepts, in characters. */
  maxTextLength: number;
  /** Whether outgoing messages may carry attachments. */
  outboundAttachments: boolean;
  editOwnMessages: boolean;
  deleteOwnMessages: boolean;
  groupChats: boolean;
  /** The provider's documented send rate per channel (bot, Page, phone number); absent: no limit of ours. */
  maxSendsPerSecond?: number;
  /** How inbound messages arrive. */
  delivery: 'push' | 'pull';
  /** How inbound requests are authenticated, in words, for the admin UI. */
  signature: string;
}
