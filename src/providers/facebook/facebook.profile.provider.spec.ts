import { ChannelContext } from '../../messaging/contracts/channel-context';
import { ProviderError } from '../../messaging/contracts/provider-error';
import { FacebookClient } from './facebook.client';
import { FacebookProfileProvider } from './facebook.profile.provider';
import { FacebookSettings } from './facebook.settings.dto';

const PSID = '6543210987654321';
const PICTURE_URL =
  'https://platform-lookaside.fbsbx.com/platform/profilepic/?psid=6543210987654321&width=1024&ext=1753005000&hash=AbZ-fakehash';

const channel = {
  id: '0b7c6f0e-2a51-4c1e-9a4f-5f0d8d1e2c33',
  settings: { pageAccessToken: 'EAAGm0PX4ZCpsBAKx7rZCfakePageAccessToken0123456789' },
} as ChannelContext<FacebookSettings>;

describe(FacebookProfileProvider.name, () => {
  let client: { getUserProfile: jest.Mock; download: jest.Mock };
  let sut: FacebookProfileProvider;

  beforeEach(() => {
    client = { getUserProfile: jest.fn(), download: jest.fn() };
    sut = new FacebookProfileProvider(client as unknown as FacebookClient);
  });

  it('names the contact and keeps the picture bytes, since the signed URL expires', async () => {
    const picture = { content: Buffer.from('jpeg'), mimeType: 'image/jpeg' };
    client.getUserProfile.mockResolvedValue({ first_name: 'Anna', last_name: 'Kowalska', profile_pic: PICTURE_URL });
    client.download.mockResolvedValue(picture);

    await expect(sut.getProfile(PSID, channel)).resolves.toEqual({ name: 'Anna Kowalska', avatar: picture });
    expect(client.getUserProfile).toHaveBeenCalledWith(channel.settings, PSID);
    expect(client.download).toHaveBeenCalledWith(PICTURE_URL);
  });

  it('falls back to the picture URL when its bytes cannot be fetched', async () => {
    client.getUserProfile.mockResolvedValue({ first_name: 'Anna', profile_pic: PICTURE_URL });
    client.download.mockRejectedValue(new ProviderError('TEMPORARY', 'the request timed out'));

    await expect(sut.getProfile(PSID, channel)).resolves.toEqual({ name: 'Anna', avatarUrl: PICTURE_URL });
  });

  it('gives no name when Meta shares none', async () => {
    client.getUserProfile.mockResolvedValue({});

    await expect(sut.getProfile(PSID, channel)).resolves.toEqual({ name: undefined });
    expect(client.download).not.toHaveBeenCalled();
  });

  it.each(['PERMANENT', 'NOT_FOUND'] as const)('has nothing to say when Meta refuses the lookup (%s)', async (code) => {
    client.getUserProfile.mockRejectedValue(new ProviderError(code, '(#100) Unsupported get request'));

    await expect(sut.getProfile(PSID, channel)).resolves.toBeNull();
  });

  it.each(['RATE_LIMITED', 'TEMPORARY', 'AUTH_FAILED'] as const)(
    'lets a %s failure reach the job runner',
    async (code) => {
      client.getUserProfile.mockRejectedValue(new ProviderError(code, 'later'));

      await expect(sut.getProfile(PSID, channel)).rejects.toMatchObject({ code });
    },
  );
});
