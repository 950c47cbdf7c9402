import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Channel } from '../../channels/channel.entity';
import { ChannelRepository } from '../../channels/channel.repository';
import { MsgSettingsRepository } from '../../channels/msg-settings.repository';
import { ChatRepository, ChatSendTarget } from '../../chats/chat.repository';
import { MessageRepository, MessageView } from '../../chats/message.repository';
import { AppError } from '../../common/errors/app-error';
import { AppConfig } from '../../config/app-config';
import { Transactions } from '../../database/transactions';
import { ChatEventRepository } from '../../events/chat-event.repository';
import { MessageFileRepository } from '../../files/message-file.repository';
import { Metrics } from '../../observability/metrics.service';
import { ChannelContextLoader } from '../channel-context/channel-context.loader';
import { ChannelSettingsCodec } from '../channel-context/channel-settings.codec';
import { InboundRequest } from '../contracts/channel-context';
import { ChallengeAnswer } from '../contracts/provider-workers';
import { InboundEvent } from '../contracts/unified-message';
import { JobRunner } from '../delivery/job-runner.service';
import { OutboundDispatcher } from '../delivery/outbound-dispatcher.service';
import { ProviderRegistry } from '../registry/provider-registry.service';
import { WorkLoops } from '../work-loops/work-loops.service';
import { ChannelRegistrar } from './channel-registrar';
import { ReceiveResult } from './inbound-group-commit';
import { InboundMessageStore } from './inbound-message.store';
import {
  MessagePage,
  MessagePageRequest,
  MessageSender,
  RegisterChannelInput,
  SendMessageInput,
} from './message-manager.types';

/** The routing area's loop (ChatRouter.LOOP), woken when chats open; the core names it rather than importing an area. */
const ROUTING_LOOP = 'routing';

/** The four verbs every channel goes through: receive, send, register, getMessagesByChatId. */
@Injectable()
export class MessageManager {
  private readonly logger = new Logger(MessageManager.name);

  constructor(
    private readonly transactions: Transactions,
    private readonly channels: ChannelRepository,
    private readonly msgSettings: MsgSettingsRepository,
    private readonly chats: ChatRepository,
    private readonly messages: MessageRepository,
    private readonly files: MessageFileRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly registry: ProviderRegistry,
    private readonly contexts: ChannelContextLoader,
    private readonly codec: ChannelSettingsCodec,
    private readonly registrar: ChannelRegistrar,
    private readonly inbound: InboundMessageStore,
    private readonly dispatcher: OutboundDispatcher,
    private readonly jobs: JobRunner,
    private readonly loops: WorkLoops,
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  /**
   * Authenticates a provider's webhook request, parses it and stores every message in one
   * transaction; resolves only after commit. Messages already stored are counted, not stored again.
   */
  async receive(channelId: string, request: InboundRequest): Promise<ReceiveResult> {
    const { channel, context } = await this.contexts.loadForTraffic(channelId);
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
    if (Logger.isLevelEnabled('debug'))
      this.logger.debug(
        `receive ${channel.provider} channel ${channel.id}: ${events.length} events → stored ${result.stored}, ` +
          `duplicates ${result.duplicates}, status updates ${result.statusUpdates}, messages [${result.messageIds.join(', ')}]`,
      );
    if (result.stored > 0) this.jobs.wake();
    if (result.openedChats > 0) this.loops.wake(ROUTING_LOOP);
    return result;
  }

  /** Answers a provider's GET verification of the channel's webhook URL; 404 when the provider has none. */
  async answerChallenge(channelId: string, request: InboundRequest): Promise<ChallengeAnswer> {
    const { channel, context } = await this.contexts.load(channelId);
    const { income } = this.registry.get(channel.provider);
    if (!income.challenge) throw new AppError('NOT_FOUND', `Channel ${channelId} takes no GET verification`);
    return income.challenge(request, context);
  }

  /** Stores an agent's message as `queued` and hands it to the dispatcher; a repeated clientMessageId returns the first one. */
  async send(chatId: string, input: SendMessageInput, sender: MessageSender): Promise<MessageView> {
    const messageId = await this.transactions.run(async () => {
      const chat = await this.lockChat(chatId);
      const existing = await this.messages.idByClientId(chatId, input.clientMessageId);
      if (existing) return existing;
      if (chat.status === 'closed') {
        throw new AppError('CHAT_CLOSED', `Chat ${chatId} is closed; the customer's next message opens a new one`);
      }
      this.checkChannelCanSend(chat.provider, input);
      return this.enqueue(chat.channelId, chatId, input, sender);
    });
    // Read before waking the outbox, so the answer is the message as stored (queued), not mid-send.
    const stored = (await this.messages.one(messageId))!;
    this.dispatcher.wake();
    if (Logger.isLevelEnabled('debug')) {
      const body = this.config.env.LOG_MESSAGE_BODIES ? ` text ${JSON.stringify(input.text ?? null)}` : '';
      this.logger.debug(
        `send chat ${chatId} (${input.clientMessageId}) by ${sender.type} → message ${messageId}${body}`,
      );
    }
    return stored;
  }

  /** Validates settings with the provider's DTO, runs its registration, and stores the channel. */
  async register(input: RegisterChannelInput): Promise<Channel> {
    const id = randomUUID();
    const { settings, result } = await this.registrar.connect(
      { id, name: input.name, provider: input.provider, source: null },
      input.settings,
    );
    if (Logger.isLevelEnabled('debug'))
      this.logger.debug(
        `register ${input.provider} channel ${id}: source ${result.source ?? '-'}, connected ${result.connected}`,
      );
    return this.transactions.run(async () => {
      const msgSettingsId = await this.msgSettings.insert(input.provider, this.codec.encrypt(input.provider, settings));
      return this.channels.insert({
        id,
        name: input.name,
        provider: input.provider,
        msgSettingsId,
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
  async getMessagesByChatId(chatId: string, page: MessagePageRequest): Promise<MessagePage> {
    const items = await this.messages.pageByChat(chatId, {
      before: page.before ?? null,
      limit: page.limit,
      readerOperatorId: page.readerOperatorId ?? null,
    });
    if (!items) throw AppError.notFound('Chat', chatId);
    if (Logger.isLevelEnabled('debug'))
      this.logger.debug(`getMessagesByChatId ${chatId} before ${page.before ?? '-'} → ${items.length} messages`);
    return { items, nextCursor: items.length === page.limit ? String(items[items.length - 1].seq) : null };
  }

  /** Takes the conversation lock inbound messages take too, then reads the chat as it now is. */
  private async lockChat(chatId: string): Promise<ChatSendTarget> {
    const chat = await this.chats.findSendTarget(chatId);
    if (!chat) throw AppError.notFound('Chat', chatId);
    await this.chats.lockConversation(chat.channelId, chat.externalChatId);
    return (await this.chats.findSendTarget(chatId))!;
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

  /** The message, its attachments and its message.created event; inside send's transaction. */
  private async enqueue(
    channelId: string,
    chatId: string,
    input: SendMessageInput,
    sender: MessageSender,
  ): Promise<string> {
    const text = input.text ?? null;
    const id = await this.messages.enqueueOutgoing({
      chatId,
      channelId,
      senderType: sender.type,
      senderId: sender.id,
      text,
      clientMessageId: input.clientMessageId,
    });
    await this.files.addOutgoing(
      id,
      (input.attachments ?? []).map((file) => ({
        kind: file.kind,
        url: file.url ?? null,
        fileName: file.fileName ?? null,
        mimeType: file.mimeType ?? null,
      })),
    );
    await this.chatEvents.append('message.created', { chatId, messageId: id, direction: 'out', text });
    return id;
  }
}
