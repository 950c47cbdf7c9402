import { Global, Module } from '@nestjs/common';
import { ChannelProviderRepository } from '../channels/channel-provider.repository';
import { ChannelRepository } from '../channels/channel.repository';
import { ChatEventRepository } from '../events/chat-event.repository';
import { ChatRepository } from '../chats/chat.repository';
import { ContactIdentityRepository } from '../contacts/contact-identity.repository';
import { ContactRepository } from '../contacts/contact.repository';
import { JobRepository } from '../messaging/delivery/job.repository';
import { MessageFileRepository } from '../files/message-file.repository';
import { MessageRepository } from '../chats/message.repository';
import { MsgSettingsRepository } from '../channels/msg-settings.repository';
import { OperatorRepository } from '../operators/operator.repository';
import { PendingReceiptRepository } from '../messaging/message-manager/pending-receipt.repository';
import { ProviderStateRepository } from '../messaging/provider-state/provider-state.repository';
import { QueueRepository } from '../routing/queue.repository';
import { WebhookDeliveryRepository } from '../event-webhooks/webhook-delivery.repository';
import { WebhookFanOutCursorRepository } from '../event-webhooks/webhook-fan-out-cursor.repository';
import { WebhookSubscriptionRepository } from '../event-webhooks/webhook-subscription.repository';

/**
 * Every repository: the data layer, the only code that speaks SQL. A new table is its entity, its
 * repository, one line here and a migration.
 */
const REPOSITORIES = [
  ChannelProviderRepository,
  MsgSettingsRepository,
  ChannelRepository,
  ContactRepository,
  ContactIdentityRepository,
  ChatRepository,
  MessageRepository,
  MessageFileRepository,
  OperatorRepository,
  QueueRepository,
  JobRepository,
  PendingReceiptRepository,
  ProviderStateRepository,
  ChatEventRepository,
  WebhookSubscriptionRepository,
  WebhookDeliveryRepository,
  WebhookFanOutCursorRepository,
];

@Global()
@Module({ providers: REPOSITORIES, exports: REPOSITORIES })
export class RepositoriesModule {}
