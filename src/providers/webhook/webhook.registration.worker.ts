import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { MessengerRegistrationWorker, RegistrationResult } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WEBHOOK_CAPABILITIES } from './webhook.capabilities';
import { WebhookClient } from './webhook.client';
import { WebhookSettings } from './webhook.settings.dto';

/** A custom channel needs nothing set up remotely: the sender is configured with our webhook URL and the secret. */
@Injectable()
@MessengerProvider({ code: 'webhook', role: 'registration' })
export class WebhookRegistrationWorker implements MessengerRegistrationWorker<WebhookSettings> {
  readonly displayName = 'Custom webhook';
  readonly settingsType = WebhookSettings;
  readonly capabilities = WEBHOOK_CAPABILITIES;

  constructor(private readonly client: WebhookClient) {}

  async register(): Promise<RegistrationResult> {
    return { source: null, connected: true };
  }

  async check(channel: ChannelContext<WebhookSettings>): Promise<void> {
    await this.client.ping(channel.settings.url);
  }
}
