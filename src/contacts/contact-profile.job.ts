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
    await this.dataSource.query(
      `UPDATE contacts
          SET name = CASE WHEN name_placeholder THEN coalesce($2, name) ELSE name END,
              name_placeholder = name_placeholder AND $2 IS NULL,
              avatar_url = coalesce($3, avatar_url),
              avatar = coalesce($4, avatar), avatar_mime_type = coalesce($5, avatar_mime_type),
              updated_at = now()
        WHERE id = $1`,
      [contactId, name, avatarUrl, avatar?.content ?? null, avatar?.mimeType ?? null],
    );
  }

  /** Nothing to undo: the contact keeps the name it was created with. */
  async giveUp(): Promise<void> {}
}
