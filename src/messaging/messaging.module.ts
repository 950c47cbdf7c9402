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
import { InboundMessageStore } from './message-manager/inbound-message.store';
import { MessageManager } from './message-manager/message-manager.service';
import { OutboundBacklogMetrics } from './message-manager/outbound-backlog.metrics';
import { ChannelPollingService } from './polling/channel-polling.service';
import { PollStateRepository } from './polling/poll-state.repository';
import { ProviderStateStore } from './provider-state/provider-state.store';
import { SendBudgetRepository } from './provider-state/send-budget.repository';
import { ProviderRegistry } from './registry/provider-registry.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WorkQueueModule } from './work-queue/work-queue.module';

/**
 * The provider-agnostic core: registry, MessageManager, the inbound endpoint, channel health, and
 * the work queue's outbox and job sources.
 */
@Module({
  imports: [DiscoveryModule, HttpModule, WorkQueueModule],
  controllers: [WebhooksController],
  providers: [
    ProviderRegistry,
    ChannelSettingsCodec,
    ChannelContextLoader,
    ChannelHealth,
    ChannelRegistrar,
    InboundMessageStore,
    DeliveryReceiptApplier,
    MessageManager,
    OutboundBacklogMetrics,
    OutboundDispatcher,
    ChannelSendBudget,
    SendBudgetRepository,
    JobRunner,
    ProviderStateStore,
    ChannelPollingService,
    PollStateRepository,
  ],
  exports: [
    ProviderRegistry,
    ChannelSettingsCodec,
    ChannelContextLoader,
    ChannelHealth,
    ChannelRegistrar,
    MessageManager,
    ProviderStateStore,
    OutboundDispatcher,
    JobRunner,
  ],
})
export class MessagingModule {}
