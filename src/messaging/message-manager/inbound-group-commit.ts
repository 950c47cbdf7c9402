import { Injectable } from '@nestjs/common';
import { InboundChannel, MessageRepository, StoredInboundMessage } from '../../chats/message.repository';
import { UnifiedMessage } from '../contracts/unified-message';
import { retryOnConflict } from './retry-on-conflict';

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

/** What one request's new messages came to: how many were stored and how many were already there. */
export function toReceiveResult(received: number, stored: StoredInboundMessage[]): ReceiveResult {
  return {
    stored: stored.length,
    duplicates: received - stored.length,
    statusUpdates: 0,
    openedChats: stored.filter((message) => message.opened).length,
    messageIds: stored.map((message) => message.messageId),
  };
}

/** A group holds at most this many messages; requests past it wait for the next group. */
export const GROUP_MAX_MESSAGES = 500;

interface WaitingRequest {
  channel: InboundChannel;
  messages: UnifiedMessage[];
  resolve(result: ReceiveResult): void;
  reject(error: unknown): void;
}

/**
 * Group commit of new customer messages: the requests that arrive while a group is being stored
 * wait, and are then stored together with one call of the inbound store, so one commit (and one
 * round trip) serves them all. Nothing waits on a timer: when no group is in flight a request is
 * stored at once, so light traffic sees no added latency. Each request resolves after the commit
 * that holds its messages, with its own counts; when a group fails, its requests are stored one by
 * one so that only the request at fault gets the error.
 */
@Injectable()
export class InboundGroupCommit {
  private waiting: WaitingRequest[] = [];
  private storing = false;

  constructor(private readonly messages: MessageRepository) {}

  /** Stores the messages (dropping those already stored) in the next group; resolves once committed. */
  store(channel: InboundChannel, messages: UnifiedMessage[]): Promise<ReceiveResult> {
    if (messages.length === 0) return Promise.resolve(toReceiveResult(0, []));
    return new Promise((resolve, reject) => {
      this.waiting.push({ channel, messages, resolve, reject });
      if (!this.storing) void this.storeWhileWaiting();
    });
  }

  private async storeWhileWaiting(): Promise<void> {
    this.storing = true;
    try {
      while (this.waiting.length > 0) await this.storeGroup(this.takeGroup());
    } finally {
      this.storing = false;
    }
  }

  /** The oldest waiting requests, up to GROUP_MAX_MESSAGES messages (at least one request). */
  private takeGroup(): WaitingRequest[] {
    let count = 1;
    let messages = this.waiting[0].messages.length;
    while (count < this.waiting.length && messages + this.waiting[count].messages.length <= GROUP_MAX_MESSAGES) {
      messages += this.waiting[count].messages.length;
      count++;
    }
    return this.waiting.splice(0, count);
  }

  private async storeGroup(group: WaitingRequest[]): Promise<void> {
    if (group.length === 1) return this.storeAlone(group[0]);
    let results: ReceiveResult[];
    try {
      results = await this.storeTogether(group);
    } catch {
      // Which request is at fault is unknown: each on its own, so only that one fails.
      await Promise.all(group.map((request) => this.storeAlone(request)));
      return;
    }
    group.forEach((request, index) => request.resolve(results[index]));
  }

  private async storeTogether(group: WaitingRequest[]): Promise<ReceiveResult[]> {
    const requestOfItem = group.flatMap((request, index) => request.messages.map(() => index));
    const rows = await this.messages.storeInboundBatch(
      group.flatMap(({ channel, messages }) => messages.map((message) => ({ channel, message }))),
    );
    const storedByRequest = group.map((): StoredInboundMessage[] => []);
    for (const row of rows) storedByRequest[requestOfItem[row.item]].push(row);
    return group.map((request, index) => toReceiveResult(request.messages.length, storedByRequest[index]));
  }

  private async storeAlone(request: WaitingRequest): Promise<void> {
    try {
      const stored = await retryOnConflict(() => this.messages.storeInbound(request.channel, request.messages));
      request.resolve(toReceiveResult(request.messages.length, stored));
    } catch (error) {
      request.reject(error);
    }
  }
}
