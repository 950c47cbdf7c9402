/** What every worker call receives: the channel and its decrypted, validated settings. */
export interface ChannelContext<TSettings = unknown> {
  id: string;
  name: string;
  provider: string;
  source: string | null;
  settings: TSettings;
  /** This service's public URL for the channel's inbound requests. */
  webhookUrl: string;
}

/** An inbound HTTP request as the webhook controller hands it to a provider. */
export interface InboundRequest {
  headers: Record<string, string | string[] | undefined>;
  query: Record<string, unknown>;
  rawBody: Buffer;
  body: unknown;
}
