import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { UuidPipe } from '../common/http/uuid.pipe';
import { OperatorOrAdminGuard } from '../operators/auth/operator-token.guard';
import { ContactsService } from './contacts.service';

@Controller('contacts')
@UseGuards(OperatorOrAdminGuard)
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  /** The contact's picture, for providers that serve it only with credentials (Telegram). */
  @Get(':id/avatar')
  async avatar(@Param('id', new UuidPipe('Contact')) id: string, @Res() reply: FastifyReply): Promise<void> {
    const avatar = await this.contacts.avatar(id);
    void reply
      .status(200)
      .type(avatar.mimeType || 'application/octet-stream')
      .send(avatar.content);
  }
}
