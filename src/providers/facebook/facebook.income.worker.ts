import { Injectable } from '@nestjs/common';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { ChallengeAnswer, IncomeMessageWorker } from '../../messaging/contracts/provider-workers';
import {
  DeliveryReceipt,
  InboundEvent,
  UnifiedAttachment,
  UnifiedMessage,
} from '../../messaging/contracts/unified-message';
import { validatePayload } from '../../messaging/contracts/validate-payload';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { answerHubChallenge, verifyHubSignature } from '../kits/meta-graph/graph-webhook';
import {
  GraphAttachment,
  GraphDelivery,
  GraphMessage,
  GraphMessagingEvent,
  GraphPostback,
  GraphWebhookBody,
} from './facebook.payload.dto';
import { FacebookSettings } from './facebook.settings.dto';

/** Messenger attachment types stored as files, and the kind each becomes. */
const MEDIA_KINDS: Record<string, string> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'file',
  sticker: 'sticker',
};

/**
 * Authenticates Meta's webhook calls (the GET hub.challenge and the X-Hub-Signature-256 of every
 * POST) and turns `entry[].messaging[]` into customer messages and receipts for our messages.
 * Echoes of the Page's own sends, reactions and other events are left out.
 */
@Injectable()
@MessengerProvider({ code: 'facebook', role: 'income' })
export class FacebookIncomeWorker implements IncomeMessageWorker<FacebookSettings> {
  verify(request: InboundRequest, channel: ChannelContext<FacebookSettings>): void {
    verifyHubSignature(request, channel.settings.appSecret);
  }

  challenge(request: InboundRequest, channel: ChannelContext<FacebookSettings>): ChallengeAnswer {
    return answerHubChallenge(request, channel.settings.verifyToken);
  }

  parse(body: unknown, channel: ChannelContext<FacebookSettings>): InboundEvent[] {
    const { object, entry } = validatePayload(GraphWebhookBody, body);
    if (object !== 'page') return [];
    // One Meta app has one callback URL: entries of the app's other Pages belong to their own channels.
    return entry
      .filter((pageEntry) => !channel.source || pageEntry.id === channel.source)
      .flatMap((pageEntry) => pageEntry.messaging ?? [])
      .flatMap(toInboundEvents);
  }
}

function toInboundEvents(event: GraphMessagingEvent): InboundEvent[] {
  if (event.message) return event.message.is_echo ? [] : [customerMessage(event, event.message)];
  if (event.postback) return postbackMessages(event, event.postback);
  if (event.delivery) return deliveryReceipts(event.sender.id, event.delivery);
  if (event.read) {
    return [{ kind: 'receipt', status: 'read', externalChatId: event.sender.id, upTo: new Date(event.read.watermark) }];
  }
  return [];
}

/** The chat is the customer's PSID: a Page talks to each person in exactly one thread. */
function customerMessage(event: GraphMessagingEvent, message: GraphMessage): UnifiedMessage {
  const attachments = message.attachments ?? [];
  const files = attachments.map(mediaAttachment);
  const described = attachments.filter((_, index) => !files[index]).map(describeAttachment);
  const text = [message.text, ...described].filter(Boolean).join('\n');
  return {
    kind: 'message',
    externalMessageId: message.mid,
    externalChatId: event.sender.id,
    sender: { externalId: event.sender.id },
    text: text || undefined,
    attachments: files.filter((file) => file !== undefined),
    sentAt: new Date(event.timestamp),
  };
}

/** A tapped button reads in the chat as the words on it; without a mid it cannot be deduplicated, so it is left out. */
function postbackMessages(event: GraphMessagingEvent, postback: GraphPostback): UnifiedMessage[] {
  if (!postback.mid) return [];
  return [
    {
      kind: 'message',
      externalMessageId: postback.mid,
      externalChatId: event.sender.id,
      sender: { externalId: event.sender.id },
      text: postback.title ?? postback.payload ?? '[button]',
      attachments: [],
      sentAt: new Date(event.timestamp),
    },
  ];
}

/** Each listed mid, then the watermark: every message sent before it was delivered. */
function deliveryReceipts(chatId: string, delivery: GraphDelivery): DeliveryReceipt[] {
  return [
    ...(delivery.mids ?? []).map((mid): DeliveryReceipt => ({
      kind: 'receipt',
      status: 'delivered',
      externalChatId: chatId,
      externalMessageId: mid,
    })),
    { kind: 'receipt', status: 'delivered', externalChatId: chatId, upTo: new Date(delivery.watermark) },
  ];
}

/** Media with a CDN URL becomes a file to download; anything else is described in the text. */
function mediaAttachment(attachment: GraphAttachment): UnifiedAttachment | undefined {
  const kind = MEDIA_KINDS[attachment.type];
  const url = attachment.payload?.url;
  const parsed = httpUrl(url);
  if (!kind || !url || !parsed) return undefined;
  // The CDN URL is signed: keep it byte for byte rather than re-serialising the parsed URL.
  const fileName = fileNameOf(parsed);
  return { kind, url, ...(fileName ? { fileName } : {}) };
}

/** The last path segment when it looks like a file name (CDN links end in e.g. `…_n.jpg`, `invoice.pdf`). */
function fileNameOf(url: URL): string | undefined {
  const segment = url.pathname.split('/').pop() ?? '';
  try {
    const name = decodeURIComponent(segment);
    return /^[^/\\]+\.[A-Za-z0-9]{1,8}$/.test(name) ? name : undefined;
  } catch {
    return undefined;
  }
}

function describeAttachment(attachment: GraphAttachment): string {
  const coordinates = attachment.payload?.coordinates;
  if (coordinates) return `Location: ${coordinates.lat}, ${coordinates.long}`;
  const title = attachment.payload?.title ?? attachment.title ?? `[${attachment.type}]`;
  const url = attachment.payload?.url ?? attachment.url;
  return url ? `${title}: ${url}` : title;
}

function httpUrl(value: string | undefined): URL | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined;
  } catch {
    return undefined;
  }
}
