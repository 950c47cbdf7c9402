import { randomUUID } from 'node:crypto';
import { ChannelProviderRepository } from '../../src/channels/channel-provider.repository';
import { ChannelRepository } from '../../src/channels/channel.repository';
import { MsgSettingsRepository } from '../../src/channels/msg-settings.repository';
import { MessageRepository } from '../../src/chats/message.repository';
import { Transactions } from '../../src/database/transactions';
import type { UnifiedMessage } from '../../src/messaging/contracts/unified-message';
import type { OperatorStatus } from '../../src/operators/operator.entity';
import { OperatorRepository } from '../../src/operators/operator.repository';
import { QueueRepository } from '../../src/routing/queue.repository';

export interface FixtureChannel {
  id: string;
  name: string;
  queueId: string | null;
}

/** Channels, operators, queues and customer messages, made through the repositories themselves. */
export class ChatFixtures {
  private readonly operators: OperatorRepository;
  private readonly queues: QueueRepository;
  private readonly messages: MessageRepository;
  private readonly channels: ChannelRepository;
  private readonly providers: ChannelProviderRepository;
  private readonly msgSettings: MsgSettingsRepository;
  private messageNumber = 0;

  constructor(transactions: Transactions) {
    this.operators = new OperatorRepository(transactions);
    this.queues = new QueueRepository(transactions);
    this.messages = new MessageRepository(transactions);
    this.channels = new ChannelRepository(transactions);
    this.providers = new ChannelProviderRepository(transactions);
    this.msgSettings = new MsgSettingsRepository(transactions);
  }

  async channel(queueId: string | null = null): Promise<FixtureChannel> {
    await this.providers.upsertAvailable([{ code: 'test', name: 'Test', capabilities: {} as never }]);
    const channel = await this.channels.insert({
      id: randomUUID(),
      name: 'Fixture',
      provider: 'test',
      msgSettingsId: await this.msgSettings.insert('test', {}),
      source: null,
      queueId,
      active: true,
      connected: true,
      registered: true,
      error: null,
    });
    return { id: channel.id, name: channel.name, queueId };
  }

  async operator(status: OperatorStatus = 'online', maxActiveChats = 5): Promise<string> {
    const id = await this.operators.create({
      name: 'Operator',
      email: `${randomUUID()}@example.com`,
      maxActiveChats,
      tokenHash: randomUUID(),
    });
    await this.operators.setStatus(id, status);
    return id;
  }

  async queue(memberIds: string[], routingRule = 'round_robin'): Promise<string> {
    const members = await this.operators.findByIds(memberIds);
    return this.queues.create({ name: `queue-${randomUUID()}`, routingRule, members });
  }

  /** A customer message in the conversation (which opens a chat in the channel's queue when none is open). */
  message(externalChatId: string, text = 'hello', externalMessageId?: string): UnifiedMessage {
    this.messageNumber++;
    return {
      kind: 'message',
      externalMessageId: externalMessageId ?? `m-${this.messageNumber}-${randomUUID()}`,
      externalChatId,
      sender: { externalId: `user-${externalChatId}` },
      text,
      attachments: [],
      sentAt: new Date(),
    };
  }

  /** Stores `count` customer messages in one conversation; resolves to its chat. */
  async chatWithMessages(channel: FixtureChannel, count = 1, externalChatId = randomUUID()): Promise<string> {
    let chatId = '';
    for (let i = 0; i < count; i++) {
      [{ chatId }] = await this.messages.storeInbound(channel, [this.message(externalChatId, `message ${i + 1}`)]);
    }
    return chatId;
  }
}
