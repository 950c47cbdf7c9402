import { Injectable } from '@nestjs/common';
import { ChannelContextLoader } from '../messaging/channel-context/channel-context.loader';
import { HandlesJob, JobHandler } from '../messaging/delivery/job-handler.decorator';
import { JOB_TYPES } from '../messaging/delivery/job-types';
import { ProviderRegistry } from '../messaging/registry/provider-registry.service';
import { ContactRepository } from './contact.repository';

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
    private readonly contacts: ContactRepository,
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
    await this.contacts.applyProfile(contactId, {
      name,
      avatarUrl,
      avatar: avatar?.content ?? null,
      avatarMimeType: avatar?.mimeType ?? null,
    });
  }

  /** Nothing to undo: the contact keeps the name it was created with. */
  async giveUp(): Promise<void> {}
}
