import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ContactRepository } from './contact.repository';

/** Reads of contacts for the agent API. */
@Injectable()
export class ContactsService {
  constructor(private readonly contacts: ContactRepository) {}

  /** AppError NOT_FOUND when the contact does not exist or has no stored picture. */
  async avatar(id: string): Promise<{ content: Buffer; mimeType: string | null }> {
    const avatar = await this.contacts.findAvatar(id);
    if (!avatar) throw AppError.notFound('Avatar of contact', id);
    return avatar;
  }
}
