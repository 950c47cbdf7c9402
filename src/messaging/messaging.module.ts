import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ChannelContextLoader } from './channel-context/channel-context.loader';
import { ChannelSettingsCodec } from './channel-context/channel-settings.codec';
import { ChannelHealth } from './channel-health/channel-health.service';
import { ChannelSendBudget } from './delivery/channel-send-budget';
import { JobRunner } from './delivery/job-runner.service';
import { OutboundDispatcher } from './delivery/outbound-dispatcher.service';
import { ChannelRegistrar } from './message-manager/channel-registrar';
import { DeliveryReceiptApplier } from './message-manager/delivery-receipt.applier';
import { InboundGroupCommit } from './message-manager/inbound-group-commit';
import { InboundMessageStore } from './message-manager/inbound-message.store';
import { MessageManager } from './message-manager/message-manager.service';
import { OutboundBacklogMetrics } from './message-manager/outbound-backlog.metrics';
import { ChannelPollingService } from './polling/channel-polling.service';
import { ProviderStateModule } from './provider-state/provider-state.module';
import { ProviderRegistry } from './registry/provider-registry.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WorkQueueModule } from './work-queue/work-queue.module';

/**
 * The provider-agnostic core: registry, MessageManager, the inbound endpoint, channel health, and
 * the work queue's outbox and job sources.
 */
@Module({
  imports: [DiscoveryModule, HttpModule, ProviderStateModule, WorkQueueModule],
  controllers: [WebhooksController],
  providers: [
    ProviderRegistry,
    ChannelSettingsCodec,
    ChannelContextLoader,
    ChannelHealth,
    ChannelRegistrar,
    InboundMessageStore,
    InboundGroupCommit,
    DeliveryReceiptApplier,
    MessageManager,
    OutboundBacklogMetrics,
    OutboundDispatcher,
    ChannelSendBudget,
    JobRunner,
    ChannelPollingService,
  ],
  exports: [
    ProviderRegistry,
    ChannelSettingsCodec,
    ChannelContextLoader,
    ChannelHealth,
    ChannelRegistrar,
    MessageManager,
    OutboundDispatcher,
    JobRunner,
  ],
})
export class MessagingModule {}
