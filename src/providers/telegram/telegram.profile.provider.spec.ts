import { ChannelContext } from '../../messaging/contracts/channel-context';
import { TelegramClient } from './telegram.client';
import { TelegramFileLoader } from './telegram.file-loader';
import { TelegramProfileProvider } from './telegram.profile.provider';
import { TelegramSettings } from './telegram.settings.dto';

const channel: ChannelContext<TelegramSettings> = {
  id: '0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
  name: 'Acme support bot',
  provider: 'telegram',
  source: '7012345678',
  settings: { token: '7012345678:AAHfakeTokenForUnitTests_0123456789ab', apiBaseUrl: 'https://api.telegram.org' },
  webhookUrl: 'https://chat.example.com/webhooks/0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
};

const photos = [
  [
    { file_id: 'AgACAgIAAxUAAWZtYp-a-160', file_unique_id: 'AQADu6gxG_a1', file_size: 7011, width: 160, height: 160 },
    { file_id: 'AgACAgIAAxUAAWZtYp-a-640', file_unique_id: 'AQADu6gxG_a3', file_size: 52333, width: 640, height: 640 },
    { file_id: 'AgACAgIAAxUAAWZtYp-a-320', file_unique_id: 'AQADu6gxG_a2', file_size: 18220, width: 320, height: 320 },
  ],
];

describe(TelegramProfileProvider.name, () => {
  let photoRequests: { userId: number; limit: number }[];
  let loaded: string[];
  let userPhotos: typeof photos;
  let fileType: string;
  let sut: TelegramProfileProvider;

  beforeEach(() => {
    photoRequests = [];
    loaded = [];
    userPhotos = photos;
    fileType = 'image/jpeg';
    const client = {
      getUserProfilePhotos: async (_settings: unknown, userId: number, limit: number) => {
        photoRequests.push({ userId, limit });
        return { total_count: userPhotos.length, photos: userPhotos };
      },
    };
    const files = {
      load: async (_settings: unknown, fileId: string) => {
        loaded.push(fileId);
        return { content: Buffer.from('jpeg bytes'), mimeType: fileType, fileName: 'file_3.jpg' };
      },
    };
    sut = new TelegramProfileProvider(client as unknown as TelegramClient, files as unknown as TelegramFileLoader);
  });

  it('returns the largest size of the current photo as avatar bytes, and no name', async () => {
    const profile = await sut.getProfile('5123456789', channel);

    expect(photoRequests).toEqual([{ userId: 5123456789, limit: 1 }]);
    expect(loaded).toEqual(['AgACAgIAAxUAAWZtYp-a-640']);
    expect(profile).toEqual({ avatar: { content: Buffer.from('jpeg bytes'), mimeType: 'image/jpeg' } });
  });

  it('calls a picture the file server typed as octet-stream a JPEG', async () => {
    fileType = 'application/octet-stream';

    const profile = await sut.getProfile('5123456789', channel);

    expect(profile?.avatar?.mimeType).toBe('image/jpeg');
  });

  it('has nothing to say about a user without a profile photo', async () => {
    userPhotos = [];

    await expect(sut.getProfile('5123456789', channel)).resolves.toBeNull();
    expect(loaded).toEqual([]);
  });

  it('does not ask about a chat posting as itself', async () => {
    await expect(sut.getProfile('-1001555000111', channel)).resolves.toBeNull();
    expect(photoRequests).toEqual([]);
  });
});
