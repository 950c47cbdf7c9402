import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ChannelContextLoader } from '../messaging/channel-context/channel-context.loader';
import { HandlesJob, JobHandler } from '../messaging/delivery/job-handler.decorator';
import { JOB_TYPES } from '../messaging/delivery/job-queue';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';

interface ContactProfilePayload {
  contactId: string;
  channelId: string;
  externalUserId: string;
}

/**
 * Fills a new contact's avatar, and its name unless the message already named the sender; a contact
 * the provider knows nothing about keeps the `[New Contact]…` placeholder.
 */
@Injectable()
@HandlesJob(JOB_TYPES.contactProfile)
export class ContactProfileJob implements JobHandler<ContactProfilePayload> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly registry: ProviderRegistry,
    private readonly channels: ChannelContextLoader,
  ) {}

  async handle({ contactId, channelId, externalUserId }: ContactProfilePayload): Promise<void> {
    const { channel, context } = await this.channels.load(channelId);
    const profile = await this.registry.get(channel.provider).profile.getProfile(externalUserId, context);
    const name = profile?.name?.trim() || null;
    const avatar = profile?.avatar ?? null;
    const avatarUrl = avatar ? `/contacts/${contactId}/avatar` : (profile?.avatarUrl ?? null);
    if (!name && !avatarUrl) return;
    // A change is recorded as a contact.updated event (for event webhooks) in the same statement.
    await this.dataSource.query(
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
      [contactId, name, avatarUrl, avatar?.content ?? null, avatar?.mimeType ?? null],
    );
  }

  /** Nothing to undo: the contact keeps the name it was created with. */
  async giveUp(): Promise<void> {}
}
