import { Controller, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../common/errors/app-error';
import { UuidPipe } from '../../common/http/uuid.pipe';
import { ReceiveResult } from '../message-manager/inbound-group-commit';
import { MessageManager } from '../message-manager/message-manager.service';

/** Fastify parses every query string into an object; the JSON body parser keeps the raw bytes for signatures. */
type WebhookRequest = FastifyRequest<{ Querystring: Record<string, unknown> }> & { rawBody?: Buffer };

/**
 * The one inbound endpoint for every provider. Public, but each request must carry the
 * provider's own signature; it answers 200 only after the messages are committed.
 */
// Providers burst and retry; their requests are authenticated by signature, not rate limited.
@SkipThrottle()
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly messageManager: MessageManager) {}

  /** For providers that verify the URL with a GET (Meta's hub.challenge, X's CRC). */
  @Get(':channelId')
  async challenge(
    @Param('channelId', new UuidPipe('Channel')) channelId: string,
    @Req() request: WebhookRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const answer = await this.messageManager.answerChallenge(channelId, {
      headers: request.headers,
      query: request.query,
      rawBody: Buffer.alloc(0),
      body: undefined,
    });
    void reply.status(200).type(answer.contentType).send(answer.body);
  }

  @Post(':channelId')
  @HttpCode(200)
  async receive(
    @Param('channelId', new UuidPipe('Channel')) channelId: string,
    @Req() request: WebhookRequest,
  ): Promise<Pick<ReceiveResult, 'stored' | 'duplicates' | 'statusUpdates'>> {
    if (!request.rawBody) {
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the webhook body as application/json');
    }
    const { stored, duplicates, statusUpdates } = await this.messageManager.receive(channelId, {
      headers: request.headers,
      query: request.query,
      rawBody: request.rawBody,
      body: request.body,
    });
    return { stored, duplicates, statusUpdates };
  }
}
