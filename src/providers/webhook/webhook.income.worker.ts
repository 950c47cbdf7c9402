import { Injectable } from '@nestjs/common';
import { AppError } from '../../common/errors/app-error';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { IncomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { UnifiedMessage } from '../../messaging/contracts/unified-message';
import { validatePayload } from '../../messaging/contracts/validate-payload';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { WebhookInboundBody, WebhookInboundMessage } from './webhook.payload.dto';
import { WebhookSettings } from './webhook.settings.dto';
import { isValidSignature, SIGNATURE_HEADER } from './webhook.signature';

@Injectable()
@MessengerProvider({ code: 'webhook', role: 'income' })
export class WebhookIncomeWorker implements IncomeMessageWorker<WebhookSettings> {
  verify(request: InboundRequest, channel: ChannelContext<WebhookSettings>): void {
    if (!isValidSignature(request.headers[SIGNATURE_HEADER], request.rawBody, channel.settings.secret)) {
      throw new AppError('INVALID_SIGNATURE', 'X-Signature-256 is missing or does not match the body');
    }
  }

  parse(body: unknown): UnifiedMessage[] {
    return validatePayload(WebhookInboundBody, body).messages.map((message, index) => ({
      kind: 'message',
      externalMessageId: message.id,
      externalChatId: message.chatId,
      sender: { externalId: message.from.id, name: message.from.name },
      text: message.text,
      attachments: (message.attachments ?? []).map((file) => ({
        kind: file.type,
        url: file.url,
        fileName: file.fileName,
        mimeType: file.mimeType,
      })),
      sentAt: parseTimestamp(message, index),
    }));
  }
}

/** Unix seconds beyond this are far more likely milliseconds sent by mistake (year 5138). */
const LARGEST_UNIX_SECONDS = 1e11;

function parseTimestamp(message: WebhookInboundMessage, index: number): Date {
  const { timestamp } = message;
  const field = `messages[${index}].timestamp`;
  if (typeof timestamp === 'number' && Math.abs(timestamp) > LARGEST_UNIX_SECONDS) {
    throw new AppError('INVALID_PAYLOAD', 'timestamp looks like milliseconds; send Unix seconds', field);
  }
  const date = typeof timestamp === 'number' ? new Date(timestamp * 1000) : new Date(timestamp);
  if (Number.isNaN(date.getTime())) {
    throw new AppError('INVALID_PAYLOAD', 'timestamp must be an ISO 8601 string or Unix seconds', field);
  }
  return date;
}
