import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ChatRouter } from './chat-router.service';
import { QueuesController } from './queues.controller';
import { QueuesService } from './queues.service';
import { RoutingRuleRegistry } from './routing-rule.registry';
import { LeastBusyRule } from './rules/least-busy.rule';
import { ManualRule } from './rules/manual.rule';
import { RoundRobinRule } from './rules/round-robin.rule';

/** Queues, the routing rules (discovered by @RoutingRuleCode) and the router that assigns waiting chats. */
@Module({
  imports: [DiscoveryModule],
  controllers: [QueuesController],
  providers: [QueuesService, ManualRule, RoundRobinRule, LeastBusyRule, RoutingRuleRegistry, ChatRouter],
  exports: [ChatRouter, RoutingRuleRegistry],
})
export class RoutingModule {}
