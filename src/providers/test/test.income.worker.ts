import { Injectable } from '@nestjs/common';
import { secretsEqual } from '../../common/crypto/secret-box';
import { AppError } from '../../common/errors/app-error';
import { ChannelContext, InboundRequest } from '../../messaging/contracts/channel-context';
import { IncomeMessageWorker } from '../../messaging/contracts/provider-workers';
import { InboundEvent } from '../../messaging/contracts/unified-message';
import { validatePayload } from '../../messaging/contracts/validate-payload';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { TestInboundBody, TestReceiptBody } from './test.payload.dto';
import { TestSettings } from './test.settings.dto';

@Injectable()
@MessengerProvider({ code: 'test', role: 'income' })
export class TestIncomeWorker implements IncomeMessageWorker<TestSettings> {
  verify(request: InboundRequest, channel: ChannelContext<TestSettings>): void {
    const token = request.headers['x-test-token'];
    if (typeof token !== 'string' || !secretsEqual(token, channel.settings.token)) {
      throw new AppError('INVALID_SIGNATURE', 'X-Test-Token is missing or wrong');
    }
  }

  /** A customer message, or `{"receipt": {chatId, messageId, status}}` for one of our replies. */
  parse(body: unknown): InboundEvent[] {
    if (typeof body === 'object' && body !== null && 'receipt' in body) {
      const { receipt } = validatePayload(TestReceiptBody, body);
      return [
        {
          kind: 'receipt',
          status: receipt.status,
          externalChatId: receipt.chatId,
          externalMessageId: receipt.messageId,
        },
      ];
    }
    const message = validatePayload(TestInboundBody, body);
    if (!message.text && !message.files?.length) {
      throw new AppError('INVALID_PAYLOAD', 'A message needs text or files', 'text');
    }
    return [
      {
        kind: 'message',
        externalMessageId: message.id,
        externalChatId: message.chatId,
        sender: { externalId: message.userId, name: message.userName },
        text: message.text,
        attachments: (message.files ?? []).map((file) => ({
          kind: file.mimeType.startsWith('image/') ? 'image' : 'file',
          url: `data:${file.mimeType};base64,${file.base64}`,
          fileName: file.fileName,
          mimeType: file.mimeType,
        })),
        sentAt: new Date(),
      },
    ];
  }
}
