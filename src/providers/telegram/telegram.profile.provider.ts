import { Injectable } from '@nestjs/common';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ContactProfile, ProfileDataProvider } from '../../messaging/contracts/provider-workers';
import { MessengerProvider } from '../../messaging/contracts/messenger-provider.decorator';
import { TelegramPhotoSize } from './telegram.api.types';
import { TelegramClient } from './telegram.client';
import { TelegramFileLoader } from './telegram.file-loader';
import { TelegramSettings } from './telegram.settings.dto';

/**
 * The contact's current profile picture. Names come with every update, so only the picture is
 * fetched; its URL carries the bot token, so the bytes are returned instead of a link.
 */
@Injectable()
@MessengerProvider({ code: 'telegram', role: 'profile' })
export class TelegramProfileProvider implements ProfileDataProvider<TelegramSettings> {
  constructor(
    private readonly client: TelegramClient,
    private readonly files: TelegramFileLoader,
  ) {}

  async getProfile(externalUserId: string, channel: ChannelContext<TelegramSettings>): Promise<ContactProfile | null> {
    // Negative ids are chats posting as themselves, which have no user profile photos.
    if (!/^\d+$/.test(externalUserId)) return null;
    const { photos } = await this.client.getUserProfilePhotos(channel.settings, Number(externalUserId), 1);
    const [current] = photos;
    if (!current?.length) return null;
    const picture = await this.files.load(channel.settings, largest(current).file_id);
    // Profile photos are JPEG; the file server may call them application/octet-stream.
    const mimeType = picture.mimeType.startsWith('image/') ? picture.mimeType : 'image/jpeg';
    return { avatar: { content: picture.content, mimeType } };
  }
}

function largest(sizes: TelegramPhotoSize[]): TelegramPhotoSize {
  return sizes.reduce((best, size) => (size.width * size.height >= best.width * best.height ? size : best));
}
