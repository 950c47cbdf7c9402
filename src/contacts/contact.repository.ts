import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** The only reader and writer of `contacts`. */
@Injectable()
export class ContactRepository {
  constructor(private readonly transactions: Transactions) {}

  // contacts API: the avatar download
  /** The contact's stored picture; null when the contact or its picture does not exist. */
  async findAvatar(id: string): Promise<{ content: Buffer; mimeType: string | null } | null> {
    const [contact] = await this.transactions.manager.query<{ content: Buffer | null; mimeType: string | null }[]>(
      `SELECT avatar AS content, avatar_mime_type AS "mimeType" FROM contacts WHERE id = $1`,
      [id],
    );
    return contact?.content ? { content: contact.content, mimeType: contact.mimeType } : null;
  }
}
