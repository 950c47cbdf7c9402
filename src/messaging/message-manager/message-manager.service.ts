import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Channel } from '../../channels/channel.entity';
import { MsgSettings } from '../../channels/msg-settings.entity';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { ChatEventRepository } from '../../events/chat-event.repository';
import { Metrics } from '../../observability/metrics.service';
import { ChatRouter } from '../../routing/chat-router.service';
import { ChannelContextLoader } from '../channel-context/channel-context.loader';
import { ChannelSettingsCodec } from '../channel-context/channel-settings.codec';
import { InboundRequest } from '../contracts/channel-context';
import { ChallengeAnswer } from '../contracts/provider-workers';
import { InboundEvent } from '../contracts/unified-message';
import { JobRunner } from '../delivery/job-runner.service';
import { OutboundDispatcher } from '../delivery/outbound-dispatcher.service';
import { ProviderRegistry } from '../registry/provider-registry.service';
import { ChannelRegistrar } from './channel-registrar';
import { conversationLockKey, lockConversations } from './conversation-lock';
import { InboundMessageStore, ReceiveResult } from './inbound-message.store';
import { MessageHistoryQuery, MessagePage, MessageView } from './message-history.query';
import { MessageSender, RegisterChannelInput, SendMessageInput } from './message-manager.types';

interface ChatToSendTo {
  channel_id: string;
  external_chat_id: string;
  status: string;
  provider: string;
}

/** The four verbs every channel goes through: receive, send, register, getMessagesByChatId. */
@Injectable()
export class MessageManager {
  private readonly logger = new Logger(MessageManager.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly channels: ChannelContextLoader,
    private readonly codec: ChannelSettingsCodec,
    private readonly registrar: ChannelRegistrar,
    private readonly inbound: InboundMessageStore,
    private readonly history: MessageHistoryQuery,
    private readonly dispatcher: OutboundDispatcher,
    private readonly jobs: JobRunner,
    private readonly router: ChatRouter,
    private readonly chatEvents: ChatEventRepository,
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  /**
   * Authenticates a provider's webhook request, parses it and stores every message in one
   * transaction; resolves only after commit. Messages already stored are counted, not stored again.
   */
  async receive(channelId: string, request: InboundRequest): Promise<ReceiveResult> {
    const { channel, context } = await this.channels.loadForTraffic(channelId);
    const stopTimer = this.metrics.webhookDuration.startTimer({ provider: channel.provider });
    try {
      if (!channel.active) {
        throw new AppError('CHANNEL_INACTIVE', `Channel ${channelId} is switched off; try again later`);
      }
      const { income } = this.registry.get(channel.provider);
      income.verify(request, context);
      const result = await this.receiveEvents(channel, income.parse(request.body, context));
      stopTimer({ status_code: 200 });
      return result;
    } catch (error) {
      stopTimer({ status_code: error instanceof AppError ? error.status : 500 });
      throw error;
    }
  }

  /** Stores events a pull provider's poller read, exactly as `receive` stores a webhook's. */
  async receiveEvents(channel: Channel, events: InboundEvent[]): Promise<ReceiveResult> {
    const result = await this.inbound.store(channel, events);
    this.metrics.messagesIn.inc({ provider: channel.provider }, result.stored);
    this.logger.debug(
      `receive ${channel.provider} channel ${channel.id}: ${events.length} events → stored ${result.stored}, ` +
        `duplicates ${result.duplicates}, status updates ${result.statusUpdates}, messages [${result.messageIds.join(', ')}]`,
    );
    if (result.stored > 0) this.jobs.wake();
    if (result.openedChats > 0) this.router.wake();
    return result;
  }

  /** Answers a provider's GET verification of the channel's webhook URL; 404 when the provider has none. */
  async answerChallenge(channelId: string, request: InboundRequest): Promise<ChallengeAnswer> {
    const { channel, context } = await this.channels.load(channelId);
    const { income } = this.registry.get(channel.provider);
    if (!income.challenge) throw new AppError('NOT_FOUND', `Channel ${channelId} takes no GET verification`);
    return income.challenge(request, context);
  }

  /** Stores an agent's message as `queued` and hands it to the dispatcher; a repeated clientMessageId returns the first one. */
  async send(chatId: string, input: SendMessageInput, sender: MessageSender): Promise<MessageView> {
    const messageId = await this.dataSource.transaction(async (manager) => {
      const chat = await this.lockChat(manager, chatId);
      const existing = await this.findByClientId(manager, chatId, input.clientMessageId);
      if (existing) return existing;
      if (chat.status === 'closed') {
        throw new AppError('CHAT_CLOSED', `Chat ${chatId} is closed; the customer's next message opens a new one`);
      }
      this.checkChannelCanSend(chat.provider, input);
      return this.enqueue(manager, chat.channel_id, chatId, input, sender);
    });
    this.dispatcher.wake();
    const body = this.config.env.LOG_MESSAGE_BODIES ? ` text ${JSON.stringify(input.text ?? null)}` : '';
    this.logger.debug(`send chat ${chatId} (${input.clientMessageId}) by ${sender.type} → message ${messageId}${body}`);
    return this.history.one(messageId);
  }

  /** Validates settings with the provider's DTO, runs its registration, and stores the channel. */
  async register(input: RegisterChannelInput): Promise<Channel> {
    const id = randomUUID();
    const { settings, result } = await this.registrar.connect(
      { id, name: input.name, provider: input.provider, source: null },
      input.settings,
    );
    this.logger.debug(
      `register ${input.provider} channel ${id}: source ${result.source ?? '-'}, connected ${result.connected}`,
    );
    return this.dataSource.transaction(async (manager) => {
      const msgSettings = await manager.save(MsgSettings, {
        provider: input.provider,
        settings: this.codec.encrypt(input.provider, settings),
      });
      return manager.save(Channel, {
        id,
        name: input.name,
        provider: input.provider,
        msgSettingsId: msgSettings.id,
        source: result.source,
        queueId: input.queueId ?? null,
        active: input.active ?? true,
        connected: result.connected,
        registered: true,
        error: null,
      });
    });
  }

  /** A page of the chat's messages, newest first; `before` is the previous page's nextCursor. */
  async getMessagesByChatId(chatId: string, page: { before?: string; limit: number }): Promise<MessagePage> {
    const [chat] = await this.dataSource.query<unknown[]>(`SELECT 1 FROM chats WHERE id = $1`, [chatId]);
    if (!chat) throw AppError.notFound('Chat', chatId);
    const messages = await this.history.page(chatId, page.before, page.limit);
    this.logger.debug(`getMessagesByChatId ${chatId} before ${page.before ?? '-'} → ${messages.items.length} messages`);
    return messages;
  }

  /** Takes the conversation lock inbound messages take too, then reads the chat as it now is. */
  private async lockChat(manager: EntityManager, chatId: string): Promise<ChatToSendTo> {
    const read = () =>
      manager.query<ChatToSendTo[]>(
        `SELECT c.channel_id, c.external_chat_id, c.status, ch.provider FROM chats c JOIN channels ch ON ch.id = c.channel_id
          WHERE c.id = $1`,
        [chatId],
      );
    const [chat] = await read();
    if (!chat) throw AppError.notFound('Chat', chatId);
    await lockConversations(manager, [conversationLockKey(chat.channel_id, chat.external_chat_id)]);
    return (await read())[0];
  }

  private async findByClientId(
    manager: EntityManager,
    chatId: string,
    clientMessageId: string,
  ): Promise<string | undefined> {
    const [row] = await manager.query<{ id: string }[]>(
      `SELECT id::text FROM messages WHERE chat_id = $1 AND client_message_id = $2`,
      [chatId, clientMessageId],
    );
    return row?.id;
  }

  private checkChannelCanSend(provider: string, input: SendMessageInput): void {
    const { capabilities } = this.registry.get(provider).registration;
    if (!input.text && !input.attachments?.length) {
      throw AppError.validation('text', 'A message needs text or at least one attachment');
    }
    if (input.text && input.text.length > capabilities.maxTextLength) {
      throw new AppError(
        'CHANNEL_CANNOT_SEND',
        `This channel takes at most ${capabilities.maxTextLength} characters`,
        'text',
      );
    }
    if (input.attachments?.length && !capabilities.outboundAttachments) {
      throw new AppError('CHANNEL_CANNOT_SEND', 'This channel cannot send attachments', 'attachments');
    }
  }

  private async enqueue(
    manager: EntityManager,
    channelId: string,
    chatId: string,
    input: SendMessageInput,
    sender: MessageSender,
  ): Promise<string> {
    // The chat's next sequence number and last-message pointer in one statement, under the conversation lock.
    const [{ id }] = await manager.query<{ id: string }[]>(
      `WITH inserted AS (
         INSERT INTO messages (chat_id, seq, channel_id, direction, sender_type, sender_id, text, status,
                               client_message_id, next_attempt_at)
         SELECT $1, last_seq + 1, $2, 'out', $3, $4, $5, 'queued', $6, now() FROM chats WHERE id = $1
         RETURNING id, seq),
       chat AS (
         UPDATE chats SET last_seq = inserted.seq, last_message_id = inserted.id, last_message_at = now()
           FROM inserted WHERE chats.id = $1)
       SELECT id::text FROM inserted`,
      [chatId, channelId, sender.type, sender.id, input.text ?? null, input.clientMessageId],
    );
    const attachments = input.attachments ?? [];
    if (attachments.length > 0) {
      await manager.query(
        `INSERT INTO message_files (message_id, kind, source_url, file_name, mime_type, status)
         SELECT $1, *, 'remote' FROM unnest($2::varchar[], $3::text[], $4::varchar[], $5::varchar[])`,
        [
          id,
          attachments.map((file) => file.kind),
          attachments.map((file) => file.url ?? null),
          attachments.map((file) => file.fileName ?? null),
          attachments.map((file) => file.mimeType ?? null),
        ],
      );
    }
    await this.chatEvents.append('message.created', {
      chatId,
      messageId: id,
      direction: 'out',
      text: input.text ?? null,
    });
    return id;
  }
}
