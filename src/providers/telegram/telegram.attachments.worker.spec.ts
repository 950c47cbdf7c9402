import { HttpService } from '@nestjs/axios';
import { of } from 'rxjs';
import { ProviderHttpOptions } from '../../common/http/provider-http-options';
import { ChannelContext } from '../../messaging/contracts/channel-context';
import { TelegramAttachmentsWorker } from './telegram.attachments.worker';
import { TelegramClient } from './telegram.client';
import { TelegramFileLoader } from './telegram.file-loader';
import { TelegramSettings } from './telegram.settings.dto';

const TOKEN = '7012345678:AAHfakeTokenForUnitTests_0123456789ab';
const channel: ChannelContext<TelegramSettings> = {
  id: '0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
  name: 'Acme support bot',
  provider: 'telegram',
  source: '7012345678',
  settings: { token: TOKEN, apiBaseUrl: 'https://api.telegram.org' },
  webhookUrl: 'https://chat.example.com/webhooks/0c9e3f5a-6b1d-4e8f-9a2b-3c4d5e6f7a8b',
};

describe(TelegramAttachmentsWorker.name, () => {
  let getFileResult: Record<string, unknown>;
  let http: { post: jest.Mock; get: jest.Mock };
  let sut: TelegramAttachmentsWorker;

  beforeEach(() => {
    getFileResult = {
      file_id: 'BQACAgIAAxkBAAIQdWZtXysdoc-invoice',
      file_unique_id: 'AgADm0kAAuYq8Us',
      file_size: 348211,
      file_path: 'documents/file_17.pdf',
    };
    http = {
      post: jest.fn(() => of({ status: 200, data: { ok: true, result: getFileResult } })),
      get: jest.fn(() =>
        of({ status: 200, data: Buffer.from('%PDF-1.7'), headers: { 'content-type': 'application/octet-stream' } }),
      ),
    };
    const httpOptions = new ProviderHttpOptions({
      timeoutMs: 1000,
      maxDownloadBytes: 20_000_000,
      allowPrivateNetwork: true,
    });
    const client = new TelegramClient(http as unknown as HttpService, httpOptions);
    sut = new TelegramAttachmentsWorker(new TelegramFileLoader(client));
  });

  it('asks getFile for the path, downloads it, and keeps the name and type the message gave', async () => {
    const file = await sut.load(
      {
        kind: 'document',
        providerFileId: 'BQACAgIAAxkBAAIQdWZtXysdoc-invoice',
        fileName: 'invoice-2025-0612.pdf',
        mimeType: 'application/pdf',
      },
      channel,
    );

    expect(http.post).toHaveBeenCalledWith(
      `https://api.telegram.org/bot${TOKEN}/getFile`,
      { file_id: 'BQACAgIAAxkBAAIQdWZtXysdoc-invoice' },
      expect.anything(),
    );
    expect(http.get).toHaveBeenCalledWith(
      `https://api.telegram.org/file/bot${TOKEN}/documents/file_17.pdf`,
      expect.anything(),
    );
    expect(file).toEqual({
      content: Buffer.from('%PDF-1.7'),
      mimeType: 'application/pdf',
      fileName: 'invoice-2025-0612.pdf',
    });
  });

  it('names a file the message did not name after its file_path', async () => {
    getFileResult.file_path = 'voice/file_42.oga';

    const file = await sut.load(
      { kind: 'voice', providerFileId: 'AwACAgIAAxkBAAIQ-voice', mimeType: 'audio/ogg' },
      channel,
    );

    expect(file).toMatchObject({ fileName: 'file_42.oga', mimeType: 'audio/ogg' });
  });

  it('fails for good when Telegram gives no file_path (a file over 20 MB)', async () => {
    delete getFileResult.file_path;

    await expect(sut.load({ kind: 'video', providerFileId: 'BAACAgIAAxkBAAIQ-video' }, channel)).rejects.toMatchObject({
      code: 'PERMANENT',
    });
    expect(http.get).not.toHaveBeenCalled();
  });

  it('fails for good on an attachment without a file_id', async () => {
    await expect(sut.load({ kind: 'image' }, channel)).rejects.toMatchObject({ code: 'PERMANENT' });
    expect(http.post).not.toHaveBeenCalled();
  });
});
