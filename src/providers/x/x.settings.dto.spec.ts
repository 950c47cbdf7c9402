import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { secretSettingFields } from '../../messaging/contracts/secret-setting.decorator';
import { XSettings } from './x.settings.dto';

/** Validates as the channel settings codec does. */
function validate(settings: Record<string, unknown>) {
  const instance = plainToInstance(XSettings, settings);
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  return { settings: { ...instance }, fields: errors.map((error) => error.property) };
}

const REQUIRED = { clientId: 'M1M5R3BMVy13QmpScXkzTUt5OE46MTpjaQ', refreshToken: 'x-refresh-token' };

describe(XSettings.name, () => {
  it('fills in the official API URL, a 30 s interval and 50 events a page', () => {
    expect(validate(REQUIRED)).toEqual({
      settings: { ...REQUIRED, apiBaseUrl: 'https://api.x.com', pollIntervalSeconds: 30, pageSize: 50 },
      fields: [],
    });
  });

  it('treats every credential as a secret', () => {
    expect(secretSettingFields(XSettings).sort()).toEqual(['accessToken', 'clientSecret', 'refreshToken']);
  });

  it.each([
    ['no client id', { refreshToken: 'r' }, 'clientId'],
    ['no refresh token', { clientId: 'c' }, 'refreshToken'],
    ['an interval under 5 s', { ...REQUIRED, pollIntervalSeconds: 4 }, 'pollIntervalSeconds'],
    ['a fractional interval', { ...REQUIRED, pollIntervalSeconds: 7.5 }, 'pollIntervalSeconds'],
    ['a page over 100 events', { ...REQUIRED, pageSize: 101 }, 'pageSize'],
    ['an empty page', { ...REQUIRED, pageSize: 0 }, 'pageSize'],
    ['an API URL that is not http(s)', { ...REQUIRED, apiBaseUrl: 'ftp://api.x.com' }, 'apiBaseUrl'],
    ['an empty access token', { ...REQUIRED, accessToken: '' }, 'accessToken'],
    ['an unknown field', { ...REQUIRED, consumerKey: 'k' }, 'consumerKey'],
  ])('refuses %s, naming the field', (_case, settings, field) => {
    expect(validate(settings).fields).toEqual([field]);
  });
});
