import { Controller, Get, Param, Res, UseGuards } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { OperatorOrAdminGuard } from '../common/auth/operator-token.guard';
import { AppError } from '../common/errors/app-error';
import { UuidPipe } from '../common/http/uuid.pipe';

@Controller('contacts')
@UseGuards(OperatorOrAdminGuard)
export class ContactsController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The contact's picture, for providers that serve it only with credentials (Telegram). */
  @Get(':id/avatar')
  async avatar(@Param('id', new UuidPipe('Contact')) id: string, @Res() response: Response): Promise<void> {
    const [contact] = await this.dataSource.query<{ avatar: Buffer | null; avatar_mime_type: string | null }[]>(
      `SELECT avatar, avatar_mime_type FROM contacts WHERE id = $1`,
      [id],
    );
    if (!contact?.avatar) throw AppError.notFound('Avatar of contact', id);
    response
      .status(200)
      .type(contact.avatar_mime_type || 'application/octet-stream')
      .send(contact.avatar);
  }
}
