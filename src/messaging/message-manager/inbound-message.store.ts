import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Channel } from '../../channels/channel.entity';
import { ChatEventsPublisher } from '../../events/chat-events.publisher';
import { InboundEvent, UnifiedMessage } from '../contracts/unified-message';
import { enqueueJobs, JOB_TYPES } from '../delivery/job-queue';
import { appendChatMessage } from './chat-message.writer';
import { conversationLockKey, lockConversations, senderLockKey } from './conversation-lock';
import { DeliveryReceiptApplier } from './delivery-receipt.applier';

export interface ReceiveResult {
  stored: number;
  duplicates: number;
  /** Outgoing messages whose status a receipt moved forward. */
  statusUpdates: number;
  /** Chats this call opened, which routing should now assign. */
  openedChats: number;
  /** Ids of the messages stored by this call, in the order received. */
  messageIds: string[];
}

interface StoredMessage {
  messageId: string;
  openedChat: boolean;
}

const RETRYABLE_SQLSTATES = new Set(['40P01', '40001', '23505']);

/** `[New Contact][<channel name>]-<client id>`: the name of a contact whose profile is unknown. */
export function placeholderContactName(channelName: string, externalUserId: string): string {
  return `[New Contact][${channelName}]-${externalUserId}`;
}

/**
 * Stores a batch of inbound messages (contacts, identities, chats, messages, files and their
 * follow-up jobs) in ONE transaction. Advisory locks on each chat and sender serialise
 * concurrent deliveries of the same conversation; the unique indexes remain the guarantee.
 */
@Injectable()
export class InboundMessageStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: ChatEventsPublisher,
    private readonly receipts: DeliveryReceiptApplier,
  ) {}

  async store(channel: Channel, events: InboundEvent[]): Promise<ReceiveResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((manager) => this.storeBatch(manager, channel, events));
      } catch (error) {
        const sqlState = (error as { code?: string }).code;
        if (attempt >= 3 || !sqlState || !RETRYABLE_SQLSTATES.has(sqlState)) throw error;
      }
    }
  }

  private async storeBatch(manager: EntityManager, channel: Channel, events: InboundEvent[]): Promise<ReceiveResult> {
    const messages = events.filter((event) => event.kind === 'message');
    await lockConversations(
      manager,
      messages.flatMap((message) => [
        conversationLockKey(channel.id, message.externalChatId),
        senderLockKey(channel.id, message.sender.externalId),
      ]),
    );
    const result: ReceiveResult = { stored: 0, duplicates: 0, statusUpdates: 0, openedChats: 0, messageIds: [] };
    for (const receipt of events.filter((event) => event.kind === 'receipt')) {
      result.statusUpdates += await this.receipts.apply(manager, channel.id, receipt);
    }
    for (const message of messages) {
      const stored = message.edited
        ? await this.applyEdit(manager, channel, message)
        : await this.storeOne(manager, channel, message);
      if (!stored) {
        result.duplicates++;
        continue;
      }
      result.stored++;
      result.messageIds.push(stored.messageId);
      if (stored.openedChat) result.openedChats++;
    }
    return result;
  }

  /** An edit replaces the text of the message it edits; an edit of a message never seen is stored as a new one. */
  private async applyEdit(
    manager: EntityManager,
    channel: Channel,
    message: UnifiedMessage,
  ): Promise<StoredMessage | null> {
    const [edited] = await manager.query<[{ id: string; chat_id: string; changed: boolean }[], number]>(
      `UPDATE messages SET text = $3, edited_at = $4, updated_at = now()
        WHERE channel_id = $1 AND direction = 'in' AND provider_message_id = $2
        RETURNING id::text, chat_id, true AS changed`,
      [channel.id, message.externalMessageId, message.text ?? null, message.sentAt],
    );
    if (edited.length === 0) return this.storeOne(manager, channel, message);
    const [{ id, chat_id: chatId }] = edited;
    await this.events.publish(manager, 'message.edited', chatId, { messageId: id, text: message.text ?? null });
    return { messageId: id, openedChat: false };
  }

  /** The stored message, or null when the provider message is already here. */
  private async storeOne(
    manager: EntityManager,
    channel: Channel,
    message: UnifiedMessage,
  ): Promise<StoredMessage | null> {
    const [existing] = await manager.query<unknown[]>(
      `SELECT 1 FROM messages WHERE channel_id = $1 AND direction = 'in' AND provider_message_id = $2`,
      [channel.id, message.externalMessageId],
    );
    if (existing) return null;
    const contactId = await this.findOrCreateContact(manager, channel, message.sender);
    const { chatId, opened } = await this.findOrOpenChat(manager, channel, message.externalChatId, contactId);
    const id = await appendChatMessage(manager, {
      chatId,
      channelId: channel.id,
      direction: 'in',
      senderType: 'contact',
      senderId: contactId,
      text: message.text ?? null,
      status: 'received',
      providerMessageId: message.externalMessageId,
      sentAt: message.sentAt,
    });
    await this.addAttachments(manager, channel.id, id, message);
    await this.events.publish(manager, 'message.created', chatId, {
      messageId: id,
      direction: 'in',
      text: message.text ?? null,
    });
    return { messageId: id, openedChat: opened };
  }

  private async findOrCreateContact(
    manager: EntityManager,
    channel: Channel,
    sender: UnifiedMessage['sender'],
  ): Promise<string> {
    const [identity] = await manager.query<{ contact_id: string }[]>(
      `SELECT contact_id FROM contact_identities WHERE channel_id = $1 AND external_user_id = $2`,
      [channel.id, sender.externalId],
    );
    if (identity) return identity.contact_id;
    const name = sender.name?.trim() || placeholderContactName(channel.name, sender.externalId);
    const [{ id }] = await manager.query<{ id: string }[]>(
      `INSERT INTO contacts (name, name_placeholder) VALUES ($1, $2) RETURNING id`,
      [name, !sender.name?.trim()],
    );
    await manager.query(
      `INSERT INTO contact_identities (contact_id, channel_id, external_user_id) VALUES ($1, $2, $3)`,
      [id, channel.id, sender.externalId],
    );
    await enqueueJobs(manager, [
      {
        type: JOB_TYPES.contactProfile,
        payload: { contactId: id, channelId: channel.id, externalUserId: sender.externalId },
      },
    ]);
    return id;
  }

  private async findOrOpenChat(
    manager: EntityManager,
    channel: Channel,
    externalChatId: string,
    contactId: string,
  ): Promise<{ chatId: string; opened: boolean }> {
    const [open] = await manager.query<{ id: string }[]>(
      `SELECT id FROM chats WHERE channel_id = $1 AND external_chat_id = $2 AND status <> 'closed'`,
      [channel.id, externalChatId],
    );
    if (open) return { chatId: open.id, opened: false };
    const [{ id }] = await manager.query<{ id: string }[]>(
      `INSERT INTO chats (channel_id, contact_id, external_chat_id, queue_id, status) VALUES ($1, $2, $3, $4, 'queued') RETURNING id`,
      [channel.id, contactId, externalChatId, channel.queueId],
    );
    return { chatId: id, opened: true };
  }

  private async addAttachments(manager: EntityManager, channelId: string, messageId: string, message: UnifiedMessage) {
    if (message.attachments.length === 0) return;
    const files = await manager.query<{ id: string }[]>(
      `INSERT INTO message_files (message_id, kind, source_url, provider_file_id, file_name, mime_type, status)
       SELECT $1, * , 'pending' FROM unnest($2::varchar[], $3::text[], $4::varchar[], $5::varchar[], $6::varchar[])
       RETURNING id`,
      [
        messageId,
        message.attachments.map((file) => file.kind),
        message.attachments.map((file) => file.url ?? null),
        message.attachments.map((file) => file.providerFileId ?? null),
        message.attachments.map((file) => file.fileName ?? null),
        message.attachments.map((file) => file.mimeType ?? null),
      ],
    );
    await enqueueJobs(
      manager,
      files.map((file) => ({ type: JOB_TYPES.attachmentDownload, payload: { fileId: file.id, channelId } })),
    );
  }
}
