import { Injectable } from '@nestjs/common';
import { Transactions } from '../database/transactions';

/** What a provider told about a contact; nulls leave what the contact has. */
export interface ContactProfileUpdate {
  name: string | null;
  avatarUrl: string | null;
  avatar: Buffer | null;
  avatarMimeType: string | null;
}

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

  // Profile fetch (the contact.profile job).

  /**
   * Fills the contact's avatar, and its name while it is still a placeholder. A change is recorded
   * as a contact.updated event in the same statement, with the catalogue's payload
   * ({contactId, name, avatarUrl}).
   */
  async applyProfile(contactId: string, profile: ContactProfileUpdate): Promise<void> {
    await this.transactions.manager.query(
      `WITH previous AS (SELECT id, name, avatar_url, avatar FROM contacts WHERE id = $1 FOR UPDATE),
       updated AS (
         UPDATE contacts c
            SET name = CASE WHEN c.name_placeholder THEN coalesce($2, c.name) ELSE c.name END,
                name_placeholder = c.name_placeholder AND $2 IS NULL,
                avatar_url = coalesce($3, c.avatar_url),
                avatar = coalesce($4, c.avatar), avatar_mime_type = coalesce($5, c.avatar_mime_type),
                updated_at = now()
           FROM previous p WHERE c.id = p.id
         RETURNING c.id, c.name, c.avatar_url,
                   (c.name, c.avatar_url, c.avatar) IS DISTINCT FROM (p.name, p.avatar_url, p.avatar) AS changed),
       event AS (
         INSERT INTO chat_events (type, payload)
         SELECT 'contact.updated', jsonb_build_object('contactId', id, 'name', name, 'avatarUrl', avatar_url)
           FROM updated WHERE changed)
       SELECT 1`,
      [contactId, profile.name, profile.avatarUrl, profile.avatar, profile.avatarMimeType],
    );
  }
}
