import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { Request } from 'express';
import { AppError } from '../../common/errors/app-error';
import { UuidPipe } from '../../common/http/uuid.pipe';
import { ReceiveResult } from '../message-manager/inbound-message.store';
import { MessageManager } from '../message-manager/message-manager.service';

/**
 * The one inbound endpoint for every provider. Public, but each request must carry the
 * provider's own signature; it answers 200 only after the messages are committed.
 */
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly messageManager: MessageManager) {}

  @Post(':channelId')
  @HttpCode(200)
  async receive(
    @Param('channelId', new UuidPipe('Channel')) channelId: string,
    @Req() request: Request & { rawBody?: Buffer },
  ): Promise<Pick<ReceiveResult, 'stored' | 'duplicates'>> {
    if (!request.rawBody) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the webhook body as application/json');
    }
    const { stored, duplicates } = await this.messageManager.receive(channelId, {
      headers: request.headers,
      query: request.query,
      rawBody: request.rawBody,
      body: request.body,
    });
    return { stored, duplicates };
  }
}
