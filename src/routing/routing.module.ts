import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Chat } from '../chats/chat.entity';
import { Operator } from '../operators/operator.entity';
import { ChatRouter } from './chat-router.service';
import { FreeQueueOperatorsQuery } from './free-queue-operators.query';
import { Queue } from './queue.entity';
import { QueuesController } from './queues.controller';
import { QueuesService } from './queues.service';
import { RoutingRuleRegistry } from './routing-rule.registry';
import { LeastBusyRule } from './rules/least-busy.rule';
import { ManualRule } from './rules/manual.rule';
import { RoundRobinRule } from './rules/round-robin.rule';

/** Queues, the routing rules (discovered by @RoutingRuleCode) and the router that assigns waiting chats. */
@Module({
  imports: [DiscoveryModule, TypeOrmModule.forFeature([Queue, Operator, Chat])],
  controllers: [QueuesController],
  providers: [
    QueuesService,
    FreeQueueOperatorsQuery,
    ManualRule,
    RoundRobinRule,
    LeastBusyRule,
    RoutingRuleRegistry,
    ChatRouter,
  ],
  exports: [ChatRouter, RoutingRuleRegistry],
})
export class RoutingModule {}
